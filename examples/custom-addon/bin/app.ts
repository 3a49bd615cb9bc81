#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildPlatformApp, runPlatformApp } from 'cdk-eks-platform';

import { catalog } from '../lib/catalog';

runPlatformApp(() => buildPlatformApp(new App(), { catalog }));
