import { ApiProperty } from '@nestjs/swagger';
import { PLATFORM_KEY_STATES, PlatformKey, type PlatformKeyState, RotationResult } from '@tms/core';

export class PlatformKeyDto {
  @ApiProperty() kid!: string;
  @ApiProperty({ enum: PLATFORM_KEY_STATES }) state!: PlatformKeyState;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) activatedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When it stopped signing (previous keys)' })
  retiredAt!: string | null;
}

export class RotationDto {
  @ApiProperty({ type: PlatformKeyDto, nullable: true }) retired!: PlatformKeyDto | null;
  @ApiProperty({ type: PlatformKeyDto }) activated!: PlatformKeyDto;
  @ApiProperty({ type: PlatformKeyDto }) created!: PlatformKeyDto;
}

export function toPlatformKeyDto(key: PlatformKey): PlatformKeyDto {
  return {
    kid: key.kid,
    state: key.state,
    createdAt: key.createdAt.toISOString(),
    activatedAt: key.activatedAt?.toISOString() ?? null,
    retiredAt: key.retiredAt?.toISOString() ?? null,
  };
}

export function toRotationDto(result: RotationResult): RotationDto {
  return {
    retired: result.retired && toPlatformKeyDto(result.retired),
    activated: toPlatformKeyDto(result.activated),
    created: toPlatformKeyDto(result.created),
  };
}
