import { classifyFailure } from './smtp-failure';

const smtpError = (responseCode: number, command: string, response = `${responseCode} refused`) => Object.assign(new Error('x'), { code: 'EENVELOPE', responseCode, command, response });

describe('classifyFailure', () => {
  it('a 4xx at any step is temporary', () => {
    expect(classifyFailure(smtpError(451, 'RCPT TO'))).toEqual({ kind: 'temporary', code: 451, reason: 'EENVELOPE' });
    expect(classifyFailure(smtpError(421, 'CONN')).kind).toBe('temporary');
    expect(classifyFailure(smtpError(452, 'DATA')).kind).toBe('temporary');
  });

  it('a 5xx at RCPT TO, or after DATA about the mailbox, is the recipient’s', () => {
    expect(classifyFailure(smtpError(550, 'RCPT TO'))).toEqual({ kind: 'recipient', code: 550, reason: 'EENVELOPE' });
    expect(classifyFailure(smtpError(550, 'DATA', '550 5.1.1 No such user')).kind).toBe('recipient');
    expect(classifyFailure(smtpError(552, 'DATA', '552-5.2.2 Mailbox full')).kind).toBe('recipient');
  });

  it('another 5xx (login, our sender, a verdict on the content) keeps the address', () => {
    expect(classifyFailure(smtpError(535, 'AUTH PLAIN')).kind).toBe('refused');
    expect(classifyFailure(smtpError(550, 'MAIL FROM')).kind).toBe('refused');
    expect(classifyFailure(smtpError(554, 'DATA', '554 5.7.1 Message rejected as spam')).kind).toBe('refused');
    expect(classifyFailure(smtpError(553, 'DATA', '553 5.1.8 Bad sender domain')).kind).toBe('refused');
    expect(classifyFailure(smtpError(552, 'DATA', '552 5.2.3 Message too long')).kind).toBe('refused');
    expect(classifyFailure(smtpError(550, 'DATA', '550 Rejected')).kind).toBe('refused');
  });

  it('timeouts, dropped and refused connections are temporary; anything else is not classified', () => {
    expect(classifyFailure(Object.assign(new Error('t'), { code: 'ETIMEDOUT' }))).toEqual({ kind: 'temporary', code: null, reason: 'ETIMEDOUT' });
    expect(classifyFailure(Object.assign(new Error('c'), { code: 'ESOCKET', originalCode: 'ECONNREFUSED' })).kind).toBe('temporary');
    expect(classifyFailure(Object.assign(new Error('f'), { code: 'ENOSPC' })).kind).toBe('other');
    expect(classifyFailure('not an error').kind).toBe('other');
  });
});
