// Tests run on this machine's node 20; the action runs on node24. The SDK's warning about node 20's future
// would only bury the test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
