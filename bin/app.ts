#!/usr/bin/env node
// First: caches the compiled code of every module imported after it (see the module).
import '../lib/tools/compile-cache';

import { App } from 'aws-cdk-lib';

import { buildPlatformApp } from '../lib/stacks/app';
import { runPlatformApp } from '../lib/stacks/cli';

runPlatformApp(() => buildPlatformApp(new App()));
