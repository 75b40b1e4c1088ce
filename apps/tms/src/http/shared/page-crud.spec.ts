import { IsOptional } from 'class-validator';
import { listQuery } from './page-crud';
import { PageQueryDto } from './paging';
import { PlainText } from './validation';

class NameQueryDto extends PageQueryDto {
  @IsOptional()
  @PlainText(20)
  search?: string;
}

describe('listQuery', () => {
  it('should list with the parsed filters and show them back when they are valid', () => {
    const query = listQuery(NameQueryDto, { search: 'quiz', page: '2', notice: 'created' });
    expect(query.value).toMatchObject({ search: 'quiz', page: 2 });
    expect(query.filters).toEqual({ search: 'quiz', page: '2' });
    expect(query.errors).toEqual({});
    expect(query.notice).toBe('created');
  });

  it('should list with the defaults, show no filters and name the field when a filter is invalid', () => {
    const query = listQuery(NameQueryDto, { search: 'x'.repeat(21) });
    expect(query.value).toEqual(new NameQueryDto());
    expect(query.filters).toEqual({});
    expect(Object.keys(query.errors)).toEqual(['search']);
    expect(query.notice).toBeUndefined();
  });
});
