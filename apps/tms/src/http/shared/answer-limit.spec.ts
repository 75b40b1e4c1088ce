import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { AnswerLimit } from './answer-limit';

/** A response that closes when the test says: sent, failed or abandoned alike. */
function response(): ServerResponse & { close(): void } {
  const emitter = new EventEmitter() as ServerResponse & { close(): void };
  emitter.close = () => void emitter.emit('close');
  return emitter;
}

/** Whether `promise` has settled once pending callbacks ran. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('AnswerLimit', () => {
  it('should build as many answers at once as it allows and make the next wait', async () => {
    const limit = new AnswerLimit(2);
    const [a, b, c] = [response(), response(), response()];

    expect(await settled(limit.turn(a))).toBe(true);
    expect(await settled(limit.turn(b))).toBe(true);
    const third = limit.turn(c);

    expect(await settled(third)).toBe(false);
    expect(limit.load).toEqual({ building: 2, waiting: 1 });
  });

  it('should give the turn to the first waiting when an answer closes', async () => {
    const limit = new AnswerLimit(1);
    const [a, b, c] = [response(), response(), response()];
    await limit.turn(a);
    const second = limit.turn(b);
    const third = limit.turn(c);

    a.close();

    expect(await settled(second)).toBe(true);
    expect(await settled(third)).toBe(false);
    expect(limit.load).toEqual({ building: 1, waiting: 1 });
  });

  it('should drop a waiting answer whose client left and never build it', async () => {
    const limit = new AnswerLimit(1);
    const [a, b, c] = [response(), response(), response()];
    await limit.turn(a);
    const left = limit.turn(b);
    const stayed = limit.turn(c);

    b.close();
    expect(limit.load).toEqual({ building: 1, waiting: 1 });
    a.close();

    expect(await settled(stayed)).toBe(true);
    expect(await settled(left)).toBe(false);
    expect(limit.load).toEqual({ building: 1, waiting: 0 });
  });

  it('should be free again when every answer closed', async () => {
    const limit = new AnswerLimit(2);
    const answers = [response(), response(), response(), response()];
    const turns = answers.map((one) => limit.turn(one));
    await Promise.all(turns.slice(0, 2));

    answers[0].close();
    answers[1].close();
    await Promise.all(turns.slice(2));
    answers[2].close();
    answers[3].close();

    expect(limit.load).toEqual({ building: 0, waiting: 0 });
  });
});
