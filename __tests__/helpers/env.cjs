// jest may run on this machine's node 20 (npm scripts run node_modules/.bin/node, v24); the SDK's warning about node 20's future
// would only bury the test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
