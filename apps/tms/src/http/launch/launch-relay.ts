import { Controller, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError, fillRoute } from '@tms/core';
import { Transport } from '../errors/transport';
import { Public, SkipCsrf } from '../shared/decorators';

/** What a launch form's fallback button may do: post where it was going while fresh, else start again. */
export interface RelayTicket {
  /** The tool's URL the form posts to. */
  readonly target: string;
  /** The page that starts the same launch afresh; null when there is none (an error answer). */
  readonly restart: string | null;
  /** How long after now the form may still be posted. */
  readonly freshForMs: number;
}

/**
 * How long a signed form stays good for its tool. An LTI 1.3 id_token carries an `iat` 5 s early
 * (tools whose clock lags refuse a future one) and tools such as ltijs refuse one older than 10 s,
 * so it may be posted for a few seconds only. A login initiation's hints and a 1.1 launch's
 * timestamp last minutes; a minute is ample for a click and far inside both.
 */
export const FRESH_FOR_MS = { idToken: 3_000, launchForm: 60_000, errorAnswer: 10 * 60_000 } as const;

/** The relay's route: the ticket is signed by us and says where the form goes and until when. */
export const RELAY_ROUTE = 'lti/relay/:ticket';

/**
 * The fallback button of a launch form. Script posts a launch form straight to the tool the moment
 * the page loads; the button (for when scripts are off or blocked) posts it here instead, with a
 * ticket signed by us in the URL. A fresh form goes on unchanged (307 keeps method and body, RFC 9110
 * §15.4.8); a stale one is never posted — the browser is sent to start the launch afresh (303).
 */
export class LaunchRelay {
  constructor(private readonly key: Buffer) {}

  /** The URL of a ticket, for the button's `formaction`. */
  url(ticket: RelayTicket): string {
    const payload = Buffer.from(
      JSON.stringify({ t: ticket.target, r: ticket.restart, e: Date.now() + ticket.freshForMs }),
    ).toString('base64url');
    return fillRoute(RELAY_ROUTE, { ticket: `${payload}.${this.sign(payload)}` });
  }

  /** The ticket's target and restart page with its expiry; null when the signature does not hold. */
  open(token: string): { target: string; restart: string | null; expiresAt: number } | null {
    const [payload, signature] = token.split('.');
    if (!payload || !signature) return null;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const { t, r, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      t: string;
      r: string | null;
      e: number;
    };
    return { target: t, restart: r, expiresAt: e };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/**
 * Public and without a CSRF token: the form's fields go to the tool as they are (a 1.1 signature
 * covers every field), and nothing here acts for anyone — it passes a form on to the URL we signed
 * into the ticket, or sends the browser to a launch page that checks who is signed in.
 */
@ApiExcludeController()
@Public()
@SkipCsrf()
@Transport('page')
@Controller()
export class LaunchRelayController {
  constructor(private readonly relay: LaunchRelay) {}

  @Post(RELAY_ROUTE)
  continue(@Param('ticket') token: string, @Res() response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    const ticket = this.relay.open(token);
    if (ticket && Date.now() <= ticket.expiresAt)
      return response.redirect(HttpStatus.TEMPORARY_REDIRECT, ticket.target);
    if (ticket?.restart) return response.redirect(HttpStatus.SEE_OTHER, ticket.restart);
    throw new DomainError('unavailable', 'Go back and open the activity again.', [], 'This launch has expired');
  }
}
