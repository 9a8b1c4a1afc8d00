export { openJournal, JOURNAL_FILE } from './FileJournal.js';
