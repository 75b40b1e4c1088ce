import { PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested, validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { DecimalNumber, flatten, Nullable, nullErrors, parseForm } from './validation';

class Address {
  @IsString() street!: string;
  @Nullable() @IsString() note?: string | null;
}

class Person {
  @IsString() name!: string;
  @IsOptional() @IsString() nickname?: string;
  @Nullable() @IsString() sisId?: string | null;
  @IsOptional() @ValidateNested() @Type(() => Address) address?: Address;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Address) others?: Address[];
}

class PersonChanges extends PartialType(Person) {}

const problemsOf = (dto: new () => object, body: object) => flatten(nullErrors(plainToInstance(dto, body)));

describe('the null rule', () => {
  it('should refuse null in a required or merely optional field, naming it', () => {
    expect(problemsOf(Person, { name: null, nickname: null })).toEqual([
      { field: 'name', message: 'Name must not be null. Enter a name of up to 200 characters.' },
      { field: 'nickname', message: 'Nickname must not be null.' },
    ]);
  });

  it('should take null in a @Nullable field', () => {
    expect(problemsOf(Person, { name: 'A', sisId: null })).toEqual([]);
  });

  it('should keep both through PartialType', () => {
    expect(problemsOf(PersonChanges, { name: null, sisId: null })).toEqual([
      { field: 'name', message: 'Name must not be null. Enter a name of up to 200 characters.' },
    ]);
  });

  it('should look into nested DTOs and arrays of them', () => {
    expect(
      problemsOf(Person, {
        name: 'A',
        address: { street: null, note: null },
        others: [{ street: 'x' }, { street: null }],
      }),
    ).toEqual([
      { field: 'address.street', message: 'Street must not be null.' },
      { field: 'others.1.street', message: 'Street must not be null.' },
    ]);
  });

  it('should apply to forms as well', () => {
    expect(parseForm(Person, { name: null })).toEqual({
      value: null,
      errors: { name: 'Name must not be null. Enter a name of up to 200 characters.' },
    });
  });
});

describe('a form checked without a DTO of its own', () => {
  it('should refuse without naming a field when the value is no DTO at all', () => {
    const form = parseForm(Object, {});
    expect(form.value).toBeNull();
    expect(Object.values(form.errors ?? {})).toEqual([expect.stringContaining('unknown value')]);
  });
});

class Threshold {
  @DecimalNumber(2) percent!: unknown;
}

describe('DecimalNumber', () => {
  const messagesFor = (percent: unknown) =>
    validateSync(plainToInstance(Threshold, { percent })).flatMap((error) => Object.values(error.constraints ?? {}));

  it.each([0, 60, 99.5, 0.29, -3.25])('should take %p', (percent) => {
    expect(messagesFor(percent)).toEqual([]);
  });

  it.each([-1e-308, 1e-7, 12.345, Number.NaN, Infinity, '60', null])(
    'should refuse %p with a message naming the field, without throwing',
    (percent) => {
      expect(messagesFor(percent)).toEqual(['percent must be a number with at most 2 decimals']);
    },
  );
});
