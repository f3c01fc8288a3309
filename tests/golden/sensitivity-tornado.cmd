sensitivity --function ishigami --method tornado
