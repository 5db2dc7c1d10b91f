import { createKeyUsage } from '../../src/domain/key-usage';
import type { KeyUsage } from '../../src/domain/key-usage';
import type { AnswerCount, KeyRepository, KeyUse } from '../../src/domain/repository';

const T0 = Date.parse('2026-11-20T12:00:00.000Z');
type RecordUse = jest.Mock<Promise<void>, [KeyUse[], { answers: AnswerCount[]; forgetBefore?: string }?]>;

/** A key repository whose only working method is recordUse, a jest mock. */
function fakeKeys(recordUse: RecordUse): KeyRepository {
  const unused = () => Promise.reject(new Error('not used by key usage'));
  return { findByHash: unused, insert: unused, list: unused, revoke: unused, expire: unused, setPin: unused, usage: unused, recordUse };
}

let clock = T0;
let usage: KeyUsage | undefined;
afterEach(async () => {
  await usage?.close();
  usage = undefined;
  jest.useRealTimers();
});

function build(recordUse: RecordUse, log = jest.fn(), flushMs = 3_600_000): KeyUsage {
  clock = T0;
  usage = createKeyUsage(fakeKeys(recordUse), { flushMs, now: () => new Date(clock), log });
  return usage;
}

describe('createKeyUsage', () => {
  it('writes nothing while nothing was seen', async () => {
    const recordUse = jest.fn().mockResolvedValue(undefined);
    await build(recordUse).flush();
    expect(recordUse).not.toHaveBeenCalled();
  });

  it('writes the latest time each key was seen, in one batch', async () => {
    const recordUse = jest.fn().mockResolvedValue(undefined);
    const u = build(recordUse);
    u.seen('key_a');
    clock += 1000;
    u.seen('key_b');
    clock += 1000;
    u.seen('key_a');
    await u.flush();
    expect(recordUse).toHaveBeenCalledTimes(1);
    expect(recordUse.mock.calls[0]![0]).toEqual([{ id: 'key_a', at: new Date(T0 + 2000) }, { id: 'key_b', at: new Date(T0 + 1000) }]);
  });

  it('writes a use once: the next flush has only what was seen since', async () => {
    const recordUse = jest.fn().mockResolvedValue(undefined);
    const u = build(recordUse);
    u.seen('key_a');
    await u.flush();
    await u.flush();
    clock += 5000;
    u.seen('key_b');
    await u.flush();
    expect(recordUse.mock.calls.map((call) => call[0])).toEqual([[{ id: 'key_a', at: new Date(T0) }], [{ id: 'key_b', at: new Date(T0 + 5000) }]]);
  });

  it('keeps the uses of a failed flush for the next one, where a later use wins, and logs the failure', async () => {
    const recordUse = jest.fn().mockRejectedValueOnce(new Error('store down')).mockResolvedValue(undefined);
    const log = jest.fn();
    const u = build(recordUse, log);
    u.seen('key_a');
    u.seen('key_b');
    await u.flush();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![1]).toEqual(new Error('store down'));
    clock += 3000;
    u.seen('key_b');
    await u.flush();
    expect(recordUse).toHaveBeenCalledTimes(2);
    const written = [...recordUse.mock.calls[1]![0]].sort((x, y) => x.id.localeCompare(y.id));
    expect(written).toEqual([{ id: 'key_a', at: new Date(T0) }, { id: 'key_b', at: new Date(T0 + 3000) }]);
  });

  it('keeps the later use when a key is seen again while a flush that fails is in flight', async () => {
    let fail: (err: Error) => void = () => undefined;
    const recordUse = jest.fn()
      .mockImplementationOnce(() => new Promise<void>((_resolve, reject) => { fail = reject; }))
      .mockResolvedValue(undefined);
    const u = build(recordUse);
    u.seen('key_a');
    const failing = u.flush();
    clock += 7000;
    u.seen('key_a');
    fail(new Error('store down'));
    await failing;
    await u.flush();
    expect(recordUse.mock.calls[1]![0]).toEqual([{ id: 'key_a', at: new Date(T0 + 7000) }]);
  });

  it('flushes on its own every flushMs', async () => {
    jest.useFakeTimers();
    const recordUse = jest.fn().mockResolvedValue(undefined);
    const u = build(recordUse, jest.fn(), 30_000);
    u.seen('key_a');
    await jest.advanceTimersByTimeAsync(29_999);
    expect(recordUse).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(recordUse.mock.calls[0]![0]).toEqual([{ id: 'key_a', at: new Date(T0) }]);
  });

  it('flushes what is pending when closed, and stops its timer', async () => {
    jest.useFakeTimers();
    const recordUse = jest.fn().mockResolvedValue(undefined);
    const u = build(recordUse, jest.fn(), 30_000);
    u.seen('key_a');
    await u.close();
    usage = undefined;
    expect(recordUse).toHaveBeenCalledTimes(1);
    u.seen('key_b');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(recordUse).toHaveBeenCalledTimes(1);
  });
});

describe('createKeyUsage counting answers', () => {
  const answersOf = (recordUse: RecordUse, call = 0) => [...recordUse.mock.calls[call]![1]!.answers].sort((x, y) => `${x.day}${x.keyId}${x.representation}`.localeCompare(`${y.day}${y.keyId}${y.representation}`));

  it('writes answers per UTC day, key and representation with the last uses, in one call', async () => {
    const recordUse: RecordUse = jest.fn().mockResolvedValue(undefined);
    const u = build(recordUse);
    u.seen('key_a');
    u.answered('key_a', 'partner.v3');
    u.answered('key_a', 'partner.v3');
    u.answered('key_a', 'partner.v4');
    u.answered('key_b', 'full');
    clock = Date.parse('2026-11-21T00:00:00.000Z');
    u.answered('key_a', 'partner.v3');
    await u.flush();
    expect(recordUse).toHaveBeenCalledTimes(1);
    expect(recordUse.mock.calls[0]![0]).toEqual([{ id: 'key_a', at: new Date(T0) }]);
    expect(answersOf(recordUse)).toEqual([
      { day: '2026-11-20', keyId: 'key_a', representation: 'partner.v3', count: 2 },
      { day: '2026-11-20', keyId: 'key_a', representation: 'partner.v4', count: 1 },
      { day: '2026-11-20', keyId: 'key_b', representation: 'full', count: 1 },
      { day: '2026-11-21', keyId: 'key_a', representation: 'partner.v3', count: 1 },
    ]);
  });

  it('writes each answer once: the next flush has only the answers since', async () => {
    const recordUse: RecordUse = jest.fn().mockResolvedValue(undefined);
    const u = build(recordUse);
    u.answered('key_a', 'full');
    await u.flush();
    await u.flush();
    u.answered('key_a', 'full');
    await u.flush();
    expect(recordUse).toHaveBeenCalledTimes(2);
    expect(answersOf(recordUse, 1)).toEqual([{ day: '2026-11-20', keyId: 'key_a', representation: 'full', count: 1 }]);
  });

  it('adds the answers of a failed flush to those counted since, for the next flush', async () => {
    const recordUse: RecordUse = jest.fn().mockRejectedValueOnce(new Error('store down')).mockResolvedValue(undefined);
    const u = build(recordUse);
    u.answered('key_a', 'partner.v3');
    u.answered('key_a', 'partner.v3');
    await u.flush();
    u.answered('key_a', 'partner.v3');
    await u.flush();
    expect(answersOf(recordUse, 1)).toEqual([{ day: '2026-11-20', keyId: 'key_a', representation: 'partner.v3', count: 3 }]);
  });

  it('asks to forget days past the retention on its first flush of each UTC day only, again after one failed', async () => {
    const recordUse: RecordUse = jest.fn().mockRejectedValueOnce(new Error('store down')).mockResolvedValue(undefined);
    const u = build(recordUse);
    const forgetting = () => recordUse.mock.calls.map((call) => call[1]?.forgetBefore);
    for (const at of ['2026-11-20T12:00:00Z', '2026-11-20T13:00:00Z', '2026-11-20T14:00:00Z', '2026-11-21T00:00:01Z']) {
      clock = Date.parse(at);
      u.answered('key_a', 'full');
      await u.flush();
    }
    expect(forgetting()).toEqual(['2026-08-22', '2026-08-22', undefined, '2026-08-23']);
  });

  it('runs a flush asked for while another is in flight after it, so close() writes what that one failed to', async () => {
    let fail: (err: Error) => void = () => undefined;
    const recordUse: RecordUse = jest.fn()
      .mockImplementationOnce(() => new Promise<void>((_resolve, reject) => { fail = reject; }))
      .mockResolvedValue(undefined);
    const u = build(recordUse);
    u.answered('key_a', 'full');
    const timerFlush = u.flush();
    const closing = u.close();
    usage = undefined;
    expect(recordUse).toHaveBeenCalledTimes(1);
    fail(new Error('store down'));
    await Promise.all([timerFlush, closing]);
    expect(recordUse).toHaveBeenCalledTimes(2);
    expect(answersOf(recordUse, 1)).toEqual([{ day: '2026-11-20', keyId: 'key_a', representation: 'full', count: 1 }]);
  });
});
