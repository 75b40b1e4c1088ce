import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page } from '@tms/core';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;
}

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
