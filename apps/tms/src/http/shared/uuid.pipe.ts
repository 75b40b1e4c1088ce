import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, isUuid } from '@tms/core';

/** An id that is not a UUID names nothing that exists: not found, before any query. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw DomainError.notFound('Resource');
    return value.toLowerCase();
  }
}
