sensitivity --function ishigami --base-samples 1
