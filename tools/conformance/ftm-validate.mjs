#!/usr/bin/env node
// Validates NDJSON FollowTheMoney entities against the official model, as bundled by the
// @alephdata/followthemoney package (pinned in package.json).
//
//   node tools/conformance/ftm-validate.mjs [--extension-key KEY] [--summary-only] FILE
//
// Every problem is one line on stdout:
//   LINE: entity ID: schema S: property P: message        (P is "-" for an entity-level problem)
// then a summary (counts by kind and property). Exit 0 when no problem, 1 if any, 2 on usage or
// I/O error.
//
// What is checked, for each line:
//   - the line is a JSON object with a string `id` (FtM entity id syntax, at most 200
//     characters, unique in the file), a `schema` that exists in the model and is not abstract,
//     and `properties` an object of arrays of strings;
//   - the schema's required properties have a value;
//   - every property exists on the schema, inherited ones included (Schema.getProperties()), is
//     not a stub (a reverse property, which FtM computes and never stores), is not deprecated;
//   - every value is a non-empty string within the property's maxLength and valid for its type:
//     the package's vocabularies (country, gender, language, topic: exact, so country codes are
//     lowercase) and the rules the model's type descriptions state (date: ISO 8601 prefix forms;
//     phone: E.164; entity: an id, and when the target is in the file its schema is in the
//     property's range; email, url, ip, iban, checksum, mimetype, json, and a few identifier
//     formats);
//   - top-level keys other than id, schema and properties: the extension key (default
//     "entente") must hold an object and is not looked into; FtM's own context keys (datasets,
//     referents, first_seen, last_seen, last_change, caption, target) are accepted; anything else
//     is a problem. The package's Entity keeps only id, schema and properties (the rest is
//     dropped); the Python library keeps such keys as "context" and writes them back;
//   - finally the package itself must accept the entity (model.getEntity()).
//
// The JS package has no value validators of its own (only vocabularies and maxLength): the type
// rules below follow the type descriptions in the bundled model and the Python library's
// documented behaviour (types/*.py), as each message says.

import { open } from 'node:fs/promises';
import { isIP } from 'node:net';
import { createInterface } from 'node:readline';
import ftm from '@alephdata/followthemoney';

const { Model, defaultModel } = ftm;

const CONTEXT_KEYS = new Set([
  'datasets', 'referents', 'first_seen', 'last_seen', 'last_change', 'caption', 'target',
]);
// FtM's EntityType.REGEX (followthemoney/types/entity.py).
const ENTITY_ID = /^[0-9a-zA-Z]([0-9a-zA-Z.-]*[0-9a-zA-Z])?$/;
const ENTITY_ID_MAX = 200;
// ISO 8601 prefixes: 2021, 2021-02, 2021-02-16, 2021-02-16T21, ...T21:48, ...T21:48:52 (UTC, no
// zone, no weeks, no ranges).
const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2}))?)?)?)?)?$/;
const PHONE_E164 = /^\+[1-9]\d{5,14}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const CHECKSUM = /^[0-9a-f]{40}$/;
const MIMETYPE = /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/i;
const IBAN = /^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/;
const FORMATS = {
  qid: [/^Q\d+$/, 'a Wikidata id (Q123)'],
  bic: [/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'a BIC (8 or 11 characters)'],
  lei: [/^[A-Z0-9]{18}\d{2}$/, 'an LEI (20 characters)'],
  isin: [/^[A-Z]{2}[A-Z0-9]{9}\d$/, 'an ISIN (12 characters)'],
  imo: [/^IMO\d{7}$/, 'an IMO number (IMO1234567)'],
  figi: [/^BBG[A-Z0-9]{9}$/, 'a FIGI (BBG + 9 characters)'],
};

function usage(message) {
  if (message) process.stderr.write(`ftm-validate: ${message}\n`);
  process.stderr.write(
    'usage: node ftm-validate.mjs [--extension-key KEY] [--summary-only] FILE.ndjson\n');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { extensionKey: 'entente', summaryOnly: false, file: null };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    if (arg === '--extension-key') {
      if (i + 1 >= argv.length) usage('--extension-key needs a value');
      options.extensionKey = argv[++i];
    } else if (arg === '--summary-only') {
      options.summaryOnly = true;
    } else if (arg === '-h' || arg === '--help') {
      usage();
    } else if (arg.startsWith('-') && arg !== '-') {
      usage(`unknown option ${arg}`);
    } else if (options.file === null) {
      options.file = arg;
    } else {
      usage('one file only');
    }
  }
  if (options.file === null) usage('no file given');
  return options;
}

function ibanChecksumOk(iban) {
  const moved = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of moved) {
    const digits = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

function dateProblem(value) {
  const m = DATE.exec(value);
  if (!m) {
    return 'not an ISO 8601 date prefix (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH[:MM[:SS]], ' +
      'UTC without zone; no ranges)';
  }
  const [, , month, day, hour, minute, second] = m;
  if (month !== undefined && (Number(month) < 1 || Number(month) > 12)) return 'month out of range';
  if (day !== undefined) {
    const last = new Date(Date.UTC(Number(m[1]), Number(month), 0)).getUTCDate();
    if (Number(day) < 1 || Number(day) > last) return 'day out of range';
  }
  if (hour !== undefined && Number(hour) > 23) return 'hour out of range';
  if (minute !== undefined && Number(minute) > 59) return 'minute out of range';
  if (second !== undefined && Number(second) > 59) return 'second out of range';
  return null;
}

// One value against its property's type: [kind, message] or null.
function valueProblem(prop, value) {
  const type = prop.type;
  const q = JSON.stringify(value);
  if (type.values.size > 0) {
    if (type.values.has(value)) return null;
    if (type.values.has(value.toLowerCase())) {
      return [`${type.name}: not lowercase`, `${q} is not a ${type.name} code: the model's ` +
        `codes are lowercase ("${value.toLowerCase()}")`];
    }
    return [`${type.name}: unknown code`, `${q} is not in the model's ${type.name} vocabulary`];
  }
  switch (type.name) {
    case 'date': {
      const problem = dateProblem(value);
      return problem ? ['date: bad format', `${q}: ${problem}`] : null;
    }
    case 'phone':
      return PHONE_E164.test(value) ? null
        : ['phone: not E.164', `${q} is not E.164 (+ country code and digits only)`];
    case 'email':
      return EMAIL.test(value) ? null : ['email: bad format', `${q} is not an e-mail address`];
    case 'entity':
      if (value.length > ENTITY_ID_MAX || !ENTITY_ID.test(value)) {
        return ['entity: not an id', `${q} is not an entity id (letters, digits, "." and "-")`];
      }
      return null;
    case 'url':
      try {
        const url = new URL(value);
        return url.protocol ? null : ['url: bad format', `${q} has no scheme`];
      } catch {
        return ['url: bad format', `${q} is not an absolute URL`];
      }
    case 'ip':
      return isIP(value) ? null : ['ip: bad format', `${q} is not an IPv4 or IPv6 address`];
    case 'iban':
      return IBAN.test(value) && ibanChecksumOk(value) ? null
        : ['iban: bad format', `${q} is not an IBAN (uppercase, no spaces, valid check digits)`];
    case 'checksum':
      return CHECKSUM.test(value) ? null : ['checksum: bad format', `${q} is not a SHA-1 in hex`];
    case 'mimetype':
      return MIMETYPE.test(value) ? null : ['mimetype: bad format', `${q} is not type/subtype`];
    case 'json':
      try {
        JSON.parse(value);
        return null;
      } catch {
        return ['json: bad format', `${q} is not JSON`];
      }
    case 'identifier': {
      const format = prop.format && FORMATS[prop.format];
      if (format && !format[0].test(value)) {
        return [`identifier: bad ${prop.format}`, `${q} is not ${format[1]}`];
      }
      return null;
    }
    default:
      return null;  // name, string, text, address, number, html: any string.
  }
}

async function main() {
  // A reader that stops early (| head) is not an error.
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 1);
    throw error;
  });
  const options = parseArgs(process.argv.slice(2));
  const model = new Model(defaultModel);
  const problems = new Map();  // kind -> Map(property -> count)
  let problemCount = 0;
  const report = (line, id, schema, property, kind, message) => {
    ++problemCount;
    const byProperty = problems.get(kind) ?? new Map();
    byProperty.set(property, (byProperty.get(property) ?? 0) + 1);
    problems.set(kind, byProperty);
    if (!options.summaryOnly) {
      process.stdout.write(`${line}: entity ${id}: schema ${schema}: property ${property}: ` +
        `${message}\n`);
    }
  };

  const propertiesOf = new Map();  // Schema -> Map(name -> Property), own and inherited
  const seenIds = new Map();  // id -> { line, schema }
  const references = [];      // { line, id, schema, property, target, range }
  let entities = 0;
  let valid = 0;
  let lineNumber = 0;

  let lines;
  if (options.file === '-') {
    lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  } else {
    try {
      lines = (await open(options.file)).readLines();
    } catch (error) {
      process.stderr.write(`ftm-validate: ${error.message}\n`);
      process.exit(2);
    }
  }

  for await (const text of lines) {
    ++lineNumber;
    if (text.trim() === '') continue;
    ++entities;
    const before = problemCount;
    let raw;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      report(lineNumber, '-', '-', '-', 'line: not JSON', `not JSON: ${error.message}`);
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      report(lineNumber, '-', '-', '-', 'line: not an object', 'not a JSON object');
      continue;
    }

    const id = typeof raw.id === 'string' ? raw.id : '-';
    const schemaName = typeof raw.schema === 'string' ? raw.schema : '-';
    if (raw.id === undefined || raw.id === null || raw.id === '') {
      report(lineNumber, id, schemaName, '-', 'id: missing', 'no id');
    } else if (typeof raw.id !== 'string') {
      report(lineNumber, id, schemaName, '-', 'id: not a string',
        `id ${JSON.stringify(raw.id)} is not a string`);
    } else if (raw.id.length > ENTITY_ID_MAX || !ENTITY_ID.test(raw.id)) {
      report(lineNumber, id, schemaName, '-', 'id: bad syntax', `id ${JSON.stringify(raw.id)} ` +
        'is not an FtM entity id (letters, digits, "." and "-", at most 200)');
    } else if (seenIds.has(raw.id)) {
      report(lineNumber, id, schemaName, '-', 'id: duplicate',
        `id also on line ${seenIds.get(raw.id).line}`);
    }

    let schema = null;
    if (typeof raw.schema !== 'string' || raw.schema === '') {
      report(lineNumber, id, '-', '-', 'schema: missing', 'no schema');
    } else if (!Object.hasOwn(model.schemata, raw.schema)) {
      report(lineNumber, id, schemaName, '-', 'schema: unknown', `no schema ${raw.schema} in ` +
        'the model');
    } else {
      schema = model.getSchema(raw.schema);
      if (schema.abstract) {
        report(lineNumber, id, schemaName, '-', 'schema: abstract', `${raw.schema} is abstract`);
      }
    }
    if (typeof raw.id === 'string' && !seenIds.has(raw.id)) {
      seenIds.set(raw.id, { line: lineNumber, schema });
    }

    for (const key of Object.keys(raw)) {
      if (key === 'id' || key === 'schema' || key === 'properties') continue;
      if (key === options.extensionKey) {
        const ext = raw[key];
        if (ext === null || typeof ext !== 'object' || Array.isArray(ext)) {
          report(lineNumber, id, schemaName, '-', 'extension: not an object',
            `"${key}" must be a JSON object`);
        }
        continue;
      }
      if (CONTEXT_KEYS.has(key)) continue;
      report(lineNumber, id, schemaName, '-', 'top-level: unknown key', `unknown top-level key ` +
        `"${key}" (the JS Entity drops it; put extensions under "${options.extensionKey}")`);
    }

    const properties = raw.properties;
    if (properties === undefined) {
      // FtM allows an entity without properties.
    } else if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
      report(lineNumber, id, schemaName, '-', 'properties: not an object',
        '"properties" is not a JSON object');
    } else if (schema) {
      let available = propertiesOf.get(schema);
      if (!available) propertiesOf.set(schema, available = schema.getProperties());
      for (const [name, values] of Object.entries(properties)) {
        const prop = available.get(name);
        if (!prop) {
          report(lineNumber, id, schemaName, name, 'property: not in the model',
            `${schema.name} has no property ${name} (own or inherited)`);
          continue;
        }
        if (prop.stub) {
          report(lineNumber, id, schemaName, name, 'property: stub', `${name} is a reverse ` +
            `(stub) property of ${prop.schema.name}: set it on the other entity`);
        }
        if (prop.deprecated) {
          report(lineNumber, id, schemaName, name, 'property: deprecated',
            `${prop.qname} is deprecated in the model`);
        }
        if (!Array.isArray(values)) {
          report(lineNumber, id, schemaName, name, 'value: not an array',
            'values must be a JSON array of strings');
          continue;
        }
        const maxLength = prop.maxLength || prop.type.maxLength;
        const seen = new Set();
        for (const value of values) {
          if (typeof value !== 'string') {
            report(lineNumber, id, schemaName, name, 'value: not a string',
              `${JSON.stringify(value)} is not a string`);
            continue;
          }
          if (value.trim() === '') {
            report(lineNumber, id, schemaName, name, 'value: empty',
              'empty value (FtM drops it)');
            continue;
          }
          if (value !== value.trim()) {
            report(lineNumber, id, schemaName, name, 'value: surrounding space',
              `${JSON.stringify(value)} has leading or trailing white space`);
          }
          if (seen.has(value)) {
            report(lineNumber, id, schemaName, name, 'value: duplicate',
              `${JSON.stringify(value)} is given twice`);
          }
          seen.add(value);
          if (maxLength && value.length > maxLength) {
            report(lineNumber, id, schemaName, name, 'value: too long',
              `${value.length} characters, more than ${name}'s ${maxLength}`);
          }
          const problem = valueProblem(prop, value);
          if (problem) {
            report(lineNumber, id, schemaName, name, problem[0], problem[1]);
          } else if (prop.type.isEntity) {
            if (value === raw.id) {
              report(lineNumber, id, schemaName, name, 'entity: self-reference',
                'refers to the entity itself');
            }
            if (prop.hasRange) {
              references.push({ line: lineNumber, id, schema: schemaName, property: name,
                target: value, range: prop.getRange() });
            }
          }
        }
      }
    }

    // Required properties (schema.required, inherited ones included in the bundled model), as
    // the Python library's Schema.validate() checks them.
    if (schema) {
      const given = properties && typeof properties === 'object' && !Array.isArray(properties)
        ? properties : {};
      for (const name of schema.required) {
        const values = given[name];
        const present = Array.isArray(values) &&
          values.some((v) => typeof v === 'string' && v.trim() !== '');
        if (!present) {
          report(lineNumber, id, schemaName, name, 'property: required missing',
            `${schema.name} requires ${name}`);
        }
      }
    }

    // The package's own reading of the entity: it throws on an unknown schema or property.
    if (problemCount === before) {
      try {
        model.getEntity(raw);
      } catch (error) {
        report(lineNumber, id, schemaName, '-', 'package: rejected',
          `@alephdata/followthemoney rejects it: ${error.message}`);
      }
    }
    if (problemCount === before) ++valid;
  }

  // References to entities of the file must point to a schema in the property's range; targets
  // that are not in the file are someone else's entities and are not checked.
  let dangling = 0;
  for (const ref of references) {
    const target = seenIds.get(ref.target);
    if (!target) {
      ++dangling;
      continue;
    }
    if (target.schema && !target.schema.isA(ref.range)) {
      report(ref.line, ref.id, ref.schema, ref.property, 'entity: out of range',
        `${ref.target} is a ${target.schema.name}, outside the range ${ref.range.name}`);
    }
  }

  const out = process.stdout;
  const unchecked = dangling ? ` (${dangling} references to entities not in the file, unchecked)`
    : '';
  out.write(`${options.file}: ${entities} entities, ${valid} without problems, ` +
    `${problemCount} problems${unchecked}\n`);
  const sum = (counts) => [...counts.values()].reduce((a, b) => a + b, 0);
  const kinds = [...problems.entries()]
    .map(([kind, byProperty]) => [kind, byProperty, sum(byProperty)])
    .sort((a, b) => b[2] - a[2] || a[0].localeCompare(b[0]));
  for (const [kind, byProperty, total] of kinds) {
    const detail = [...byProperty.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([property, count]) => `${property === '-' ? '(entity)' : property} ${count}`)
      .join(', ');
    out.write(`  ${String(total).padStart(7)} ${kind}: ${detail}\n`);
  }
  process.exitCode = problemCount > 0 ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`ftm-validate: ${error.stack ?? error}\n`);
  process.exit(2);
});
