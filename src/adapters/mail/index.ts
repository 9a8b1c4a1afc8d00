export { createMailer } from './createMailer.js';
export { createFileMailer, type FileMailerSettings } from './FileMailer.js';
export { createSmtpMailer, type SmtpMailerSettings } from './SmtpMailer.js';
