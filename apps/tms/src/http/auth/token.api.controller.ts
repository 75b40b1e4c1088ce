import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthService } from '@tms/core';
import { ClientAddress, Public } from '../shared/decorators';
import { AccessTokenDto, SignInDto } from './auth.dto';
import { Transport } from '../errors/transport';

@ApiTags('auth')
@Transport('api')
@Controller('api/v1/auth')
export class TokenApiController {
  constructor(private readonly auth: AuthService) {}

  @Post('token')
  @Public()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: AccessTokenDto })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password, or a suspended account' })
  @ApiTooManyRequestsResponse({
    description:
      'Too many failed sign-ins for this email or from this address: refused without checking the password ' +
      'until the lockout ends (`Retry-After`, seconds). Each further failure doubles the lockout.',
  })
  async issue(@Body() body: SignInDto, @ClientAddress() clientAddress: string | undefined): Promise<AccessTokenDto> {
    const issued = await this.auth.signIn(body.email, body.password, 'api', clientAddress);
    return { accessToken: issued.token, expiresIn: issued.expiresIn };
  }
}
