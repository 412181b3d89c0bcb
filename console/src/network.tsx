// /network/{id}: the subject's links to a depth (GET /api/v1/network/{id}), drawn with
// Cytoscape.js, cross-border links marked; the shortest path to another subject; exports as
// GraphML and as FollowTheMoney relationship entities. A table lists the same nodes and links
// for keyboard and screen-reader users.
import { useEffect, useRef, useState } from "preact/hooks";

import * as api from "./api";
import { download } from "./download";
import { t } from "./i18n";
import { Link } from "./router";

// The FollowTheMoney schema of a link type, and its two ends (docs/formats.md).
const FTM_LINKS: Record<string, [string, string, string]> = {
  family: ["Family", "person", "relative"],
  associate: ["Associate", "person", "associate"],
  membership: ["Membership", "member", "organization"],
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function graphMl(network: api.Network): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    '  <key id="name" for="node" attr.name="name" attr.type="string"/>',
    '  <key id="country" for="node" attr.name="country" attr.type="string"/>',
    '  <key id="type" for="edge" attr.name="type" attr.type="string"/>',
    '  <graph edgedefault="undirected">',
  ];
  for (const n of network.nodes) {
    lines.push(
      `    <node id="${escapeXml(n.id)}"><data key="name">${escapeXml(n.name)}</data>` +
        `<data key="country">${escapeXml(n.country)}</data></node>`,
    );
  }
  for (const l of network.links) {
    lines.push(
      `    <edge source="${escapeXml(l.src)}" target="${escapeXml(l.dst)}">` +
        `<data key="type">${escapeXml(l.type)}</data></edge>`,
    );
  }
  lines.push("  </graph>", "</graphml>", "");
  return lines.join("\n");
}

export function followTheMoney(network: api.Network): string {
  return network.links
    .map((l, i) => {
      const [schema, a, b] = FTM_LINKS[l.type] ?? ["UnknownLink", "subject", "object"];
      const properties: Record<string, string[]> = { [a]: [l.src], [b]: [l.dst] };
      if (!FTM_LINKS[l.type]) properties.role = [l.type];
      return JSON.stringify({ id: `link-${l.src}-${l.dst}-${i}`, schema, properties });
    })
    .join("\n");
}

export function NetworkPage(props: { id: string; nodeCountry: string }) {
  const [depth, setDepth] = useState(2);
  const [network, setNetwork] = useState<api.Network | null>(null);
  const [path, setPath] = useState<string[]>([]);
  const [other, setOther] = useState("");
  const [error, setError] = useState("");
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    setNetwork(null);
    setError("");
    api.network(props.id, depth).then(
      (n) => !cancelled && setNetwork(n),
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [props.id, depth]);

  useEffect(() => {
    if (!network || !container.current) return;
    const element = container.current;
    const onPath = new Set(path);
    let graph: { destroy: () => void } | null = null;
    let cancelled = false;
    void import("cytoscape").then(({ default: cytoscape }) => {
      if (cancelled) return;
      graph = cytoscape({
      container: element,
      elements: [
        ...network.nodes.map((n) => ({
          data: { id: n.id, label: n.name || n.id },
          classes: [
            n.id === props.id ? "root" : "",
            n.country && n.country !== props.nodeCountry ? "foreign" : "",
            onPath.has(n.id) ? "path" : "",
          ].join(" "),
        })),
        ...network.links.map((l, i) => ({
          data: { id: `e${i}`, source: l.src, target: l.dst, label: l.type },
          classes: onPath.has(l.src) && onPath.has(l.dst) ? "path" : "",
        })),
      ],
      style: [
        {
          selector: "node",
          style: { label: "data(label)", "background-color": "#0b5394", "font-size": 10 },
        },
        { selector: "node.root", style: { "background-color": "#b06000", width: 40, height: 40 } },
        { selector: "node.foreign", style: { shape: "diamond", "background-color": "#6a1b9a" } },
        { selector: "node.path", style: { "border-width": 4, "border-color": "#f9a825" } },
        {
          selector: "edge",
          style: { label: "data(label)", "font-size": 8, width: 2, "line-color": "#9e9e9e" },
        },
        { selector: "edge.path", style: { "line-color": "#f9a825", width: 4 } },
      ],
      layout: { name: "cose", animate: false },
      maxZoom: 1.5,
    });
    });
    return () => {
      cancelled = true;
      graph?.destroy();
    };
  }, [network, path]);

  const names = new Map(network?.nodes.map((n) => [n.id, n.name || n.id]) ?? []);
  return (
    <main id="main">
      <h1>{t("networkTitle", { name: names.get(props.id) ?? props.id })}</h1>
      <p>
        <Link href={`/subjects/${encodeURIComponent(props.id)}`}>{t("backToCard")}</Link>
      </p>
      <form class="search" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label for="depth">{t("depth")}</label>
          <select
            id="depth"
            value={String(depth)}
            onChange={(e) => setDepth(Number((e.target as HTMLSelectElement).value))}
          >
            {[1, 2, 3, 4].map((d) => (
              <option value={String(d)}>{d}</option>
            ))}
          </select>
        </div>
      </form>
      <form
        class="search"
        onSubmit={async (e) => {
          e.preventDefault();
          setError("");
          try {
            const found = await api.networkPath(props.id, other.trim());
            setPath(found.nodes.map((n) => n.id));
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          }
        }}
      >
        <div>
          <label for="other">{t("pathTo")}</label>
          <input id="other" value={other} onInput={(e) => setOther((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit">{t("findPath")}</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {t("error", { message: error })}
        </p>
      )}
      {!network && !error && <p role="status">{t("loading")}</p>}
      {network && (
        <>
          <p>
            {t("networkSummary", { nodes: network.nodes.length, links: network.links.length })}{" "}
            <span class="legend foreign">◆ {t("crossBorder")}</span>
          </p>
          <div class="graph" ref={container} role="img" aria-label={t("graphLabel")} />
          <p>
            <button type="button" onClick={() => download(`network-${props.id}.graphml`, "application/xml", graphMl(network))}>
              {t("exportGraphMl")}
            </button>{" "}
            <button type="button" onClick={() => download(`network-${props.id}.ftm.json`, "application/json", followTheMoney(network))}>
              {t("exportFtm")}
            </button>
          </p>
          <table class="results network-links">
            <caption>{t("linksTable")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("from")}</th>
                <th scope="col">{t("linkType")}</th>
                <th scope="col">{t("to")}</th>
              </tr>
            </thead>
            <tbody>
              {network.links.map((l) => (
                <tr>
                  <td>
                    <bdi>{names.get(l.src) ?? l.src}</bdi> <span class="id">{l.src}</span>
                  </td>
                  <td>{l.type}</td>
                  <td>
                    <bdi>{names.get(l.dst) ?? l.dst}</bdi> <span class="id">{l.dst}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
