#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildPlatformApp } from '../lib/app';
import { runPlatformApp } from '../lib/cli';

runPlatformApp(() => buildPlatformApp(new App()));
