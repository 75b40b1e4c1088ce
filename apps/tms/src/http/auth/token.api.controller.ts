import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthService } from '@tms/core';
import { Public } from '../shared/decorators';
import { AccessTokenDto, SignInDto } from './auth.dto';

@ApiTags('auth')
@Controller('api/v1/auth')
export class TokenApiController {
  constructor(private readonly auth: AuthService) {}

  @Post('token')
  @Public()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: AccessTokenDto })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password, or a suspended account' })
  async issue(@Body() body: SignInDto): Promise<AccessTokenDto> {
    const issued = await this.auth.signIn(body.email, body.password, 'api');
    return { accessToken: issued.token, expiresIn: issued.expiresIn };
  }
}
