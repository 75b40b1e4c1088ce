import { DomainError } from '@tms/core';
import { PROVISIONING_FORMATS, ProvisioningFormat } from './provisioning-file';

/** The part of a multipart upload the import reads. */
export interface UploadedProvisioningFile {
  readonly originalname: string;
  readonly mimetype: string;
  readonly buffer: Buffer;
}

/** `?format=` first, then Accept (RFC 9110 §12.5.1, taken simply: JSON only when asked for before CSV); CSV by default. */
export function exportFormat(format: ProvisioningFormat | undefined, accept: string | undefined): ProvisioningFormat {
  if (format) return format;
  const types = (accept ?? '').split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  const json = types.indexOf('application/json');
  const csv = types.indexOf('text/csv');
  return json !== -1 && (csv === -1 || json < csv) ? 'json' : 'csv';
}

/** `?format=` first, then the uploaded file's name or type, then the body's Content-Type. */
export function importFormat(
  format: ProvisioningFormat | undefined,
  contentType: string | undefined,
  file: UploadedProvisioningFile | undefined,
): ProvisioningFormat {
  if (format) return format;
  const name = file?.originalname.toLowerCase() ?? '';
  const extension = PROVISIONING_FORMATS.find((candidate) => name.endsWith(`.${candidate}`));
  if (extension) return extension;
  const type = (file ? file.mimetype : (contentType ?? '')).split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'text/csv' || type === 'text/plain' || type === 'application/vnd.ms-excel') return 'csv';
  throw DomainError.invalidField(
    'format',
    file
      ? 'Name the file .csv or .json, or say format=csv or format=json'
      : 'Send the file as multipart/form-data (field "file"), text/csv or application/json',
  );
}
