// Node's `import`: the same instance as `require`, so classes and errors are shared.
export * from './node.cjs';
