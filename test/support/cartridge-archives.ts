import { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import * as yazl from 'yazl';

/** The files of a zip, by path (written with the npm package yauzl, not the application's reader). */
export async function unzip(archive: Buffer): Promise<Map<string, string>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(archive, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  const files = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.on('entry', (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
          zip.readEntry();
        });
      }),
    );
    zip.readEntry();
  });
  return files;
}

/** A zip of the given files, written with yazl. */
export async function zipOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [path, content] of Object.entries(files)) {
    zip.addBuffer(typeof content === 'string' ? Buffer.from(content) : content, path);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A CC 1.3 manifest of the given resources, one item each, with an optional prolog (a DOCTYPE, say). */
export const manifest = (items: Array<{ id: string; title: string; type: string; href: string }>, prolog = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>${prolog}<manifest identifier="M" xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1">` +
  '<metadata><schema>IMS Common Cartridge</schema><schemaversion>1.3.0</schemaversion></metadata>' +
  `<organizations><organization identifier="O" structure="rooted-hierarchy"><item identifier="root">` +
  items.map((i) => `<item identifier="I${i.id}" identifierref="${i.id}"><title>${i.title}</title></item>`).join('') +
  '</item></organization></organizations><resources>' +
  items.map((i) => `<resource identifier="${i.id}" type="${i.type}"><file href="${i.href}"/></resource>`).join('') +
  '</resources></manifest>';

/** A Basic LTI link document as another platform writes it. */
export const basicLtiLink = (title: string, url: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><cartridge_basiclti_link xmlns="http://www.imsglobal.org/xsd/imslticc_v1p0" ' +
  'xmlns:blti="http://www.imsglobal.org/xsd/imsbasiclti_v1p0" xmlns:lticp="http://www.imsglobal.org/xsd/imslticp_v1p0">' +
  `<blti:title>${title}</blti:title><blti:launch_url>${url}</blti:launch_url>` +
  '<blti:vendor><lticp:code>other</lticp:code><lticp:name>Other LMS</lticp:name></blti:vendor></cartridge_basiclti_link>';
