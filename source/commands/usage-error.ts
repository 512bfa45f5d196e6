// Kept where the commands have always imported it from; the class lives in core so that
// describe-failure.ts, which every process uses, can know it.
export {UsageError} from '../core/usage-error.js';
