#!/usr/bin/env node
// First: caches the compiled code of every module imported after it (see the module).
import '../lib/compile-cache';

import { App } from 'aws-cdk-lib';

import { buildPlatformApp } from '../lib/app';
import { runPlatformApp } from '../lib/cli';

runPlatformApp(() => buildPlatformApp(new App()));
