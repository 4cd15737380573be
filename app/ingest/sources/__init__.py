"""Where articles come from: files, folders, standard input, URLs (politely, with
robots.txt), feeds and WARC archives, decoded to text and given one canonical URL."""
