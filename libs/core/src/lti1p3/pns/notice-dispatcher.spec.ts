import { PlatformKeysService } from '../../keys/platform-keys.service';
import { OutboundError, OutboundHttp, OutboundRequest } from '../../shared/outbound-http';
import { NoticeDelivery, NoticeDeliveryRepository } from './notice-delivery.repository';
import { NoticeDispatcher } from './notice-dispatcher';

const SETTINGS = { maxAttempts: 3, retryBaseSeconds: 10, pollMs: 1000 };

function delivery(overrides: Partial<NoticeDelivery> = {}): NoticeDelivery {
  return {
    id: 'notice-1',
    providerId: 'provider-1',
    noticeType: 'LtiHelloWorldNotice',
    handler: 'https://tool.example/notices',
    claims: { iss: 'https://platform.example', aud: 'client-1' },
    status: 'pending',
    attempts: 1,
    nextAttemptAt: new Date(),
    lastAttemptAt: new Date(),
    lastError: null,
    sentAt: null,
    createdAt: new Date(),
    ...overrides,
  };
}

function setUp(due: NoticeDelivery, answer: (request: OutboundRequest) => Promise<number>) {
  let queue = [due];
  const deliveries: jest.Mocked<NoticeDeliveryRepository> = {
    enqueue: jest.fn(),
    claimDue: jest.fn(async (_limit: number, _lease: number) => {
      const claimed = queue;
      queue = [];
      return claimed;
    }),
    markSent: jest.fn(async (_id: string) => undefined),
    markAttemptFailed: jest.fn(async (_id: string, _error: string, _retryAt: Date | null) => undefined),
    listForProvider: jest.fn(),
  };
  const keys = { signJwt: jest.fn(async () => 'signed.jwt.value') } as unknown as PlatformKeysService;
  const requests: OutboundRequest[] = [];
  const outbound: OutboundHttp = {
    fetch: jest.fn(async (request: OutboundRequest) => {
      requests.push(request);
      const status = await answer(request);
      return { status, header: () => undefined, body: Buffer.alloc(0) };
    }),
  };
  return { dispatcher: new NoticeDispatcher(deliveries, keys, outbound, SETTINGS), deliveries, requests };
}

describe('NoticeDispatcher', () => {
  it('should post the signed notice to the handler and mark it sent when the handler answers 2xx', async () => {
    const { dispatcher, deliveries, requests } = setUp(delivery(), async () => 204);
    expect(await dispatcher.drain()).toBe(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: 'https://tool.example/notices',
      json: { notices: [{ jwt: 'signed.jwt.value' }] },
    });
    expect(deliveries.markSent).toHaveBeenCalledWith('notice-1');
    expect(deliveries.markAttemptFailed).not.toHaveBeenCalled();
  });

  it('should schedule the next attempt after a doubling wait when an attempt before the last fails', async () => {
    const { dispatcher, deliveries } = setUp(delivery({ attempts: 2 }), async () => 503);
    const before = Date.now();
    await dispatcher.drain();
    const [id, error, retryAt] = deliveries.markAttemptFailed.mock.calls[0];
    expect([id, error]).toEqual(['notice-1', 'The handler answered HTTP 503']);
    expect(retryAt!.getTime() - before).toBeGreaterThanOrEqual(20_000);
    expect(deliveries.markSent).not.toHaveBeenCalled();
  });

  it('should mark the notice failed for good when its last attempt fails', async () => {
    const { dispatcher, deliveries } = setUp(delivery({ attempts: 3 }), async () => {
      throw new OutboundError('unreachable');
    });
    await dispatcher.drain();
    expect(deliveries.markAttemptFailed).toHaveBeenCalledWith('notice-1', 'The handler could not be fetched', null);
  });
});
