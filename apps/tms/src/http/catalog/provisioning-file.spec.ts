import { DomainError } from '@tms/core';
import { readProvisioningFile, writeProvisioningFile } from './provisioning-file';
import { exportFormat, importFormat } from './provisioning-formats';

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('provisioning files', () => {
  it('should give each row the line it starts on when cells span lines and empty lines come between', () => {
    const csv = 'kind,name,customParameters\nprovider,A,"a=1\nb=2"\n\nresource_link,B,\nprovider,C,\n';

    for (const file of [csv, csv.replace(/\n/g, '\r\n')]) {
      const rows = readProvisioningFile(file, 'csv');

      expect(rows.map((row) => [row.line, row.values.name])).toEqual([
        [2, 'A'],
        [5, 'B'],
        [6, 'C'],
      ]);
      expect(rows[0].values.customParameters).toBe('a=1\nb=2');
    }
  });

  it('should read back what it wrote, formulas defused, when a file goes out and comes in again', () => {
    const values = { kind: 'provider', name: '=HYPERLINK("x")', customParameters: 'a=1\nb="2"', frameWidth: '' };

    const csv = writeProvisioningFile([values], 'csv');
    const json = writeProvisioningFile([values], 'json');

    expect(csv.split('\n')[1]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(readProvisioningFile(csv, 'csv')[0].values).toMatchObject(values);
    expect(readProvisioningFile(json, 'json')).toEqual([{ line: 1, values }]);
  });

  it('should take lists, numbers and booleans as cells when a JSON row uses them', () => {
    const rows = readProvisioningFile(
      {
        rows: [
          {
            kind: 'provider',
            services: ['grades', 'roster'],
            availableOrganizations: ['A', 'A / B'],
            frameWidth: 800,
            platformStorage: true,
            jwksUrl: null,
          },
        ],
      },
      'json',
    );

    expect(rows[0].values).toEqual({
      kind: 'provider',
      services: 'grades roster',
      availableOrganizations: 'A; A / B',
      frameWidth: '800',
      platformStorage: 'true',
    });
  });

  it('should refuse the file naming the line when it is not a provisioning file', () => {
    expect(refusal(() => readProvisioningFile('kind,colour\nprovider,red\n', 'csv')).fields[0]).toMatchObject({
      line: 1,
      field: 'file',
      message: expect.stringMatching(/^Unknown column “colour”; the columns are kind, organization, /),
    });
    expect(refusal(() => readProvisioningFile('name\nA\n', 'csv')).fields[0].line).toBe(1);
    expect(refusal(() => readProvisioningFile('kind,name\nprovider,A,extra\n', 'csv')).fields[0]).toMatchObject({
      line: 2,
      message: 'A row has a different number of cells than the header (line 2)',
    });
    expect(
      refusal(() => readProvisioningFile({ rows: [{ kind: 'provider' }, 'text'] }, 'json')).fields[0],
    ).toMatchObject({
      line: 2,
    });
    expect(refusal(() => readProvisioningFile({ rows: [{ kind: { nested: 1 } }] }, 'json')).fields[0].field).toBe(
      'kind',
    );
    expect(refusal(() => readProvisioningFile({ items: [] }, 'json')).message).toContain('{"rows": [ … ]}');
  });

  it('should choose the format from the query, then the file or Accept, when a request names none', () => {
    expect(exportFormat(undefined, 'application/json, text/csv')).toBe('json');
    expect(exportFormat(undefined, 'text/csv, application/json')).toBe('csv');
    expect(exportFormat(undefined, '*/*')).toBe('csv');
    expect(exportFormat('json', 'text/csv')).toBe('json');
    const file = { originalname: 'Catalog.JSON', mimetype: 'application/octet-stream', buffer: Buffer.from('') };
    expect(importFormat(undefined, 'multipart/form-data; boundary=x', file)).toBe('json');
    expect(importFormat(undefined, 'text/csv; charset=utf-8', undefined)).toBe('csv');
    expect(refusal(() => importFormat(undefined, 'application/xml', undefined)).fields[0].field).toBe('format');
  });
});
