// Moving between the console's pages without a reload: the browser's history.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

export function navigate(path: string): void {
  history.pushState(null, "", path);
  dispatchEvent(new PopStateEvent("popstate"));
}

function here(): string {
  return window.location.pathname + window.location.search;
}

// The path and query shown, updated when the user moves.
export function useLocation(): string {
  const [location, setLocation] = useState(here());
  useEffect(() => {
    const changed = () => setLocation(here());
    addEventListener("popstate", changed);
    return () => removeEventListener("popstate", changed);
  }, []);
  return location;
}

// A link inside the console: changes the page without a reload (a modified click opens a tab).
export function Link(props: { href: string; children: ComponentChildren; class?: string }) {
  return (
    <a
      href={props.href}
      class={props.class}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}
