import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { from, Observable, switchMap } from 'rxjs';

/**
 * Answers of up to 1,000 rows (rosters, reports, NRPS pages) that one process builds at a time.
 * Each holds its rows, their objects and about 1 MB of JSON until it is sent. Built ten at a time on
 * two cores, every one of them finished late and all of them were live at once; two at a time keep a
 * core busy while the other waits for PostgreSQL, the rest wait their turn holding only their
 * request, and a worker's live heap stays near 60 MB, so that its heap can be bounded cheaply
 * (cluster.ts, workerFlags). The 1,000-row roster, two workers, 10 connections: 63-64 answers/s,
 * p95 250-300 ms unlimited; 65-77 answers/s, p95 202-242 ms two at a time.
 */
export const LARGE_ANSWERS_AT_ONCE = 2;

/**
 * A first-come, first-served limit on the answers a process builds at once. A permit is the
 * response's from the moment its turn comes until it closes: sent, failed, or abandoned by the
 * client. A client that leaves while it waits gives up its place.
 */
export class AnswerLimit {
  private building = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly atOnce: number) {}

  /** Resolves when `response` may be built; never, when its client leaves first. */
  turn(response: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const start = () => {
        this.building++;
        response.once('close', () => this.release());
        resolve();
      };
      if (this.building < this.atOnce) return start();
      this.waiting.push(start);
      response.once('close', () => {
        const place = this.waiting.indexOf(start);
        if (place >= 0) this.waiting.splice(place, 1);
      });
    });
  }

  /** Answers being built, and waiting. */
  get load(): { readonly building: number; readonly waiting: number } {
    return { building: this.building, waiting: this.waiting.length };
  }

  private release(): void {
    this.building--;
    this.waiting.shift()?.();
  }
}

/** The process's limit on large answers, shared by every route marked `@LargeAnswer()`. */
@Injectable()
export class LargeAnswers extends AnswerLimit {
  constructor() {
    super(LARGE_ANSWERS_AT_ONCE);
  }
}

@Injectable()
class LargeAnswerTurn implements NestInterceptor {
  constructor(private readonly limit: LargeAnswers) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<ServerResponse>();
    return from(this.limit.turn(response)).pipe(switchMap(() => next.handle()));
  }
}

/**
 * A route whose answer may carry up to 1,000 rows: it is built when the process's `LargeAnswers`
 * gives it a turn (after the guards, so a refused request never waits).
 */
export const LargeAnswer = () => UseInterceptors(LargeAnswerTurn);
