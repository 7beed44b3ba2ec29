// The extension's settings mirror the server's options, as generated into
// schemas/kls-config.schema.json from the Rust options type.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

const root = path.join(__dirname, "..", "..");
const read = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));
const manifest = read(path.join(root, "package.json"));
const schema = read(path.join(root, "..", "..", "schemas", "kls-config.schema.json"));

/** Options that only `kls lint` reads. */
const lintOnly = ["maxFileSize"];

/** Flattens nested object options (`cluster.liveStatus`) into dotted keys, as VS Code names them. */
function serverKeys(properties: Record<string, any>, prefix = ""): Map<string, any> {
  const keys = new Map<string, any>();
  for (const [name, found] of Object.entries(properties)) {
    if (lintOnly.includes(`${prefix}${name}`)) {
      continue;
    }
    const ref: string | undefined = found.$ref;
    const property = ref ? schema.$defs[ref.replace("#/$defs/", "")] : found;
    if (property.type === "object" && property.properties) {
      for (const [key, value] of serverKeys(property.properties, `${prefix}${name}.`)) {
        keys.set(key, value);
      }
    } else {
      keys.set(`${prefix}${name}`, property);
    }
  }
  return keys;
}

test("every server option is a setting with the same type and description", () => {
  const settings: Record<string, any> = manifest.contributes.configuration.properties;
  const options = serverKeys(schema.properties);
  for (const [key, option] of options) {
    const setting = settings[`kls.${key}`];
    assert.ok(setting, `the server option \`${key}\` has no setting \`kls.${key}\``);
    assert.deepEqual(setting.type, option.type, `type of kls.${key}`);
    assert.equal(setting.description, option.description, `description of kls.${key}`);
  }
  const extensionOnly = Object.keys(settings).filter((key) => key.startsWith("kls.server."));
  assert.deepEqual(
    Object.keys(settings).sort(),
    [...[...options.keys()].map((key) => `kls.${key}`), ...extensionOnly].sort(),
    "a setting the server does not know",
  );
});
