import { removeScratchDirectory } from './scratch-dir';

export default function globalTeardown(): void {
  removeScratchDirectory();
}
