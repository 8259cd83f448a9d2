"""Reports from the public (随手拍): receipts, sealing, the reporter's and the officers' side."""
