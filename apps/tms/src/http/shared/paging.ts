import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page } from '@tms/core';

/**
 * `?page=&limit=` with a limit of at most `maxLimit`: one definition for every paged list (most
 * take MAX_PAGE_SIZE; rosters and reports take a whole class of 1,000, as NRPS allows a tool).
 */
export function pageQuery(maxLimit: number) {
  class PageQuery {
    @ApiPropertyOptional({ minimum: 1, default: 1 })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(1_000_000)
    page: number = 1;

    @ApiPropertyOptional({ minimum: 1, maximum: maxLimit, default: DEFAULT_PAGE_SIZE })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(maxLimit)
    limit: number = DEFAULT_PAGE_SIZE;
  }
  return PageQuery;
}

export class PageQueryDto extends pageQuery(MAX_PAGE_SIZE) {}

export function mapPage<T, R>(page: Page<T>, map: (item: T) => R) {
  const { total, totalCapped } = page;
  // totalCapped only where counting stopped: total is then "at least", and every other answer keeps its shape.
  return {
    items: page.items.map(map),
    total,
    ...(totalCapped ? { totalCapped } : {}),
    page: page.page,
    limit: page.limit,
  };
}
