import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CartridgeService, DomainError, Principal } from '@tms/core';
import { Transport } from '../errors/transport';
import { CurrentPrincipal } from '../shared/decorators';
import { UuidPipe } from '../shared/uuid.pipe';
import { CARTRIDGE_MEDIA_TYPES, CartridgeImportQueryDto, toCartridgePlanDto } from './cartridge.dto';
import { cartridgeFileName } from './cartridge-files';

@ApiTags('courses')
@ApiBearerAuth()
@Transport('api')
@Controller('api/v1/courses')
export class CartridgeApiController {
  constructor(private readonly cartridges: CartridgeService) {}

  @Get(':id/cartridge')
  @ApiProduces('application/vnd.ims.imscc+zip')
  @ApiOkResponse({ description: 'The course’s LTI activities as an IMS Common Cartridge 1.3 (a zip), in order' })
  async export(@CurrentPrincipal() principal: Principal, @Param('id', UuidPipe) id: string, @Res() response: Response) {
    const { title, archive } = await this.cartridges.exportCartridge(principal, id);
    response.attachment(cartridgeFileName(title)).type('application/vnd.ims.imscc+zip').send(archive);
  }

  @Post(':id/cartridge')
  @HttpCode(200)
  @ApiConsumes(...CARTRIDGE_MEDIA_TYPES)
  @ApiBody({ description: 'The cartridge (a zip)', schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({
    description:
      'What the import does, item by item in the cartridge’s order: `match` (an existing resource link), `create` ' +
      '(a new one under the chosen tool) or `skip` (with the reason); with dryRun=true nothing is written. A ' +
      'hostile or broken archive (zip slip, zip bomb, DOCTYPE) is refused with 400 and nothing written.',
  })
  async import(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: CartridgeImportQueryDto,
    @Body() body: unknown,
  ) {
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw DomainError.invalidField(
        'cartridge',
        `Send the cartridge as the body, as ${CARTRIDGE_MEDIA_TYPES.join(' or ')}`,
      );
    }
    const plan = query.dryRun
      ? await this.cartridges.preview(principal, id, body, query.providerId)
      : await this.cartridges.import(principal, id, body, query.providerId);
    return toCartridgePlanDto(plan);
  }
}
