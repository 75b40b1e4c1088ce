import { Controller, Get, Header, Injectable, NestMiddleware } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { LargeAnswers } from '../shared/answer-limit';
import { Public } from '../shared/decorators';
import { Transport } from '../errors/transport';

/** One registry per application instance (tests run several in one process). */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(largeAnswers: LargeAnswers) {
    collectDefaultMetrics({ register: this.registry });
    // Read when scraped. Answers waiting for long, or always, say the process needs more turns or cores.
    new Gauge({
      name: 'tms_large_answers',
      help: 'Rosters, reports and NRPS pages of this process being built, and waiting for a turn',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const { building, waiting } = largeAnswers.load;
        this.set({ state: 'building' }, building);
        this.set({ state: 'waiting' }, waiting);
      },
    });
  }
}

@Injectable()
export class MetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stop = this.metrics.httpDuration.startTimer();
    response.on('finish', () => {
      // The route pattern, not the path: ids in paths would make unbounded label values.
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ method: request.method, route: `${request.baseUrl}${route}`, status: String(response.statusCode) });
    });
    next();
  }
}

@ApiExcludeController()
@Transport('ops')
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
