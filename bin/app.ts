#!/usr/bin/env node
import { buildPlatformApp } from '../lib/app';
import { ConfigError } from '../lib/config';

try {
  buildPlatformApp();
} catch (error) {
  if (error instanceof ConfigError) {
    // A configuration mistake is the user's to fix: the message, not a stack trace.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
