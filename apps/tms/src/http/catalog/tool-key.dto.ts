import { ApiProperty } from '@nestjs/swagger';
import { TOOL_KEY_STATUSES, ToolKeyState, ToolKeyStatus } from '@tms/core';

/** LTI 1.3: whether we hold a usable key of the tool (register first, key later). */
export class ToolKeyDto {
  @ApiProperty({
    enum: TOOL_KEY_STATUSES,
    description:
      'ready: launches may start; waiting: the JWKS URL serves no usable key yet (checked again before a launch)',
  })
  status!: ToolKeyStatus;
  @ApiProperty({ nullable: true, type: String, description: 'Why the last check found no usable key' })
  problem!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the JWKS URL was last fetched' })
  checkedAt!: string | null;
}

export function toToolKeyDto(key: ToolKeyState): ToolKeyDto {
  return { status: key.status, problem: key.problem, checkedAt: key.checkedAt?.toISOString() ?? null };
}
