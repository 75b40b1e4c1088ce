import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';

const DIR = join(__dirname, '..', 'fixtures', 'cartridge-schemas');
const schema = (fileName: string) => ({ fileName, contents: readFileSync(join(DIR, fileName), 'utf8') });

/** libxml2's verdict (xmllint compiled to WebAssembly) on a file of a cartridge against the schemas in test/fixtures. */
async function validate(xml: string, root: string, imports: string[]) {
  const result = await validateXML({
    xml: { fileName: 'document.xml', contents: xml },
    schema: schema(root),
    preload: imports.map(schema),
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.message) };
}

/** A `cartridge_basiclti_link` document against the LTI cartridge link schemas. */
export function validateCartridgeFile(xml: string) {
  return validate(xml, 'imslticc_v1p0.xsd', ['imsbasiclti_v1p0.xsd', 'imslticm_v1p0.xsd', 'imslticp_v1p0.xsd']);
}

/** An `imsmanifest.xml` against the CC 1.3 manifest schema. */
export function validateCartridgeManifest(xml: string) {
  return validate(xml, 'imsccv1p3_imscp_v1p1.xsd', []);
}
