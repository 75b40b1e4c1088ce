import { generateKeyPairSync } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';

export type Row = Record<string, string>;

/** A CSV file of `rows` with the line each row starts on (a quoted cell may span lines). */
export function csvFile(rows: readonly Row[]): { text: string; lines: number[] } {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  let text = stringify([columns], { record_delimiter: '\n' });
  const lines: number[] = [];
  let line = 2;
  for (const row of rows) {
    const record = stringify([columns.map((column) => row[column] ?? '')], { record_delimiter: '\n' });
    lines.push(line);
    line += record.split('\n').length - 1;
    text += record;
  }
  return { text, lines };
}

/**
 * A catalog of `size` rows in `organization`: a few providers of each version (the 1.3 ones with a
 * PEM key, whose cells span lines), the rest resource links spread over them.
 */
export function catalogRows(organization: string, size: number, prefix = 'Tool'): Row[] {
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
  const providers: Row[] = [];
  for (let index = 0; index < 20; index++) {
    const name = `${prefix} ${String(index).padStart(2, '0')}`;
    providers.push(
      index % 2 === 0
        ? {
            kind: 'provider',
            organization,
            name,
            ltiVersion: '1.1',
            consumerKey: `key-${index}`,
            sharedSecret: `secret-${index}-a-long-shared-secret`,
            customParameters: 'course=$Context.label\nlevel=intro',
          }
        : {
            kind: 'provider',
            organization,
            name,
            ltiVersion: '1.3',
            loginUrl: `https://tool${index}.example.com/login`,
            redirectUris: `https://tool${index}.example.com/launch`,
            targetLinkUri: `https://tool${index}.example.com/launch`,
            publicKeyPem: pem,
            services: 'grades roster',
          },
    );
  }
  const links: Row[] = [];
  for (let index = 0; links.length < size - providers.length; index++) {
    const provider = providers[index % providers.length];
    links.push({
      kind: 'resource_link',
      organization,
      name: `${prefix} lesson ${String(index).padStart(4, '0')}`,
      provider: provider.name,
      url: `https://content.example.com/${prefix.toLowerCase()}/lessons/${index}`,
      requiresScoreForCompletion: index % 3 === 0 ? 'true' : 'false',
      passingScore: index % 3 === 0 ? '70' : '',
    });
  }
  return [...providers, ...links];
}
