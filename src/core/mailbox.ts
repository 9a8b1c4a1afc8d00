/**
 * One plain mailbox, nothing else. nodemailer would read `a@x, b@y` as two recipients, and a form that
 * slipped a second address in would send someone else's password there. The same rule decides what the
 * mailer sends to and what the config accepts as an operator's address.
 */
const SINGLE_ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

export function isSingleAddress(to: string): boolean {
  return SINGLE_ADDRESS.test(to);
}
