import { Controller, Get, ServiceUnavailableException, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../shared/decorators';
import { RETRY_AFTER_SECONDS } from '../errors/problem';
import { Transport } from '../errors/transport';

@ApiExcludeController()
@Transport('ops')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  /** Liveness: the process answers. Never touches the database, so a database outage does not restart us. */
  @Get()
  live() {
    return { status: 'ok' };
  }

  /**
   * Readiness: the database answers within a second. Load balancers and probes read JSON either way:
   * terminus's report, with 503 and Retry-After while the database is away.
   */
  @Get('ready')
  async ready(@Res() response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    try {
      response.json(await this.health.check([() => this.database.pingCheck('database', { timeout: 1000 })]));
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      response.status(503).json(error.getResponse());
    }
  }
}
