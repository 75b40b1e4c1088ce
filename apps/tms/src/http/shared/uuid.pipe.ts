import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '@tms/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that is not a UUID names nothing that exists: not found, before any query. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw DomainError.notFound('Resource');
    return value.toLowerCase();
  }
}
