#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { AddOnCatalog, buildPlatformApp, runPlatformApp } from 'cdk-eks-platform';

import { HeadroomAddOn } from '../lib/headroom-addon';

// Registered, the add-on is selectable from cdk.json ("addons": {"headroom": {...}}) like a first-party one.
const catalog = AddOnCatalog.firstParty().with(HeadroomAddOn.registration);

runPlatformApp(() => buildPlatformApp(new App(), { catalog }));
