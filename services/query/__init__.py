"""The query service: the read model (mô hình đọc) the portal lists, counts, searches and opens from."""
