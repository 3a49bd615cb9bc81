import { createScratchDirectory } from './scratch-dir';

export default function globalSetup(): void {
  createScratchDirectory();
}
