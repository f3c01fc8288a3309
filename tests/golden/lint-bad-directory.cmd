lint .
