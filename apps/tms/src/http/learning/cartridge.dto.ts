import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { CartridgePlan } from '@tms/core';
import { FormBoolean, IsUuidField } from '../shared/validation';

/** The media types a cartridge may be posted as (CC 1.3 §2: `.imscc` files are zip archives). */
export const CARTRIDGE_MEDIA_TYPES = ['application/zip', 'application/vnd.ims.imscc+zip'];

export class CartridgeImportQueryDto {
  @ApiPropertyOptional({ description: 'Only show what the import would do; nothing is written', default: false })
  @IsOptional()
  @FormBoolean()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The tool under which links without a matching resource link are created (site administrators)',
  })
  @IsOptional()
  @IsUuidField()
  providerId?: string;
}

export function toCartridgePlanDto(plan: CartridgePlan) {
  return {
    courseId: plan.courseId,
    cartridgeTitle: plan.cartridgeTitle,
    applied: plan.applied,
    items: plan.items.map((item) =>
      item.action === 'skip'
        ? { action: item.action, title: item.title, reason: item.reason, detail: item.detail }
        : {
            action: item.action,
            title: item.title,
            launchUrl: item.link.launchUrl,
            ...(item.action === 'match'
              ? { resourceLinkId: item.resourceLinkId, resourceLinkName: item.resourceLinkName }
              : { providerId: item.providerId, providerName: item.providerName }),
          },
    ),
  };
}
