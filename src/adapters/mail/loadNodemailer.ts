import { createRequire } from 'node:module';
import type Nodemailer from 'nodemailer';

const require = createRequire(import.meta.url);

/**
 * nodemailer, loaded when a mailer is first made rather than when the program starts: most runs of a plan
 * never mail, and loading it cost ~30 ms of every start. It is a CommonJS package, so a synchronous
 * require keeps createMailer synchronous.
 */
export function loadNodemailer(): typeof Nodemailer {
  return require('nodemailer') as typeof Nodemailer;
}
