sensitivity --function ishigami --sampling mc --base-samples 1024 --bootstrap 50 --csv
