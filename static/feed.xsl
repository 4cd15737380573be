<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an Atom feed opened in a browser as a page that explains what a feed is.
     Feed readers ignore this; the feed itself stays plain Atom. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/atom:feed">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> (Atom feed)</title>
        <link rel="stylesheet" href="/static/style.css"/>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml"/>
      </head>
      <body>
        <main id="main" class="feed-page">
          <div class="notice feed-about" id="feed-about">
            <p><strong>This is an Atom feed.</strong> Copy this page's address into a feed
              reader (such as NetNewsWire, Feedly, Thunderbird or Miniflux) to subscribe: new
              entries appear there as they are added.</p>
            <p><a href="{atom:link[@rel='alternate']/@href}">Open the page this feed follows</a></p>
          </div>
          <h1><xsl:value-of select="atom:title"/></h1>
          <ol class="results">
            <xsl:for-each select="atom:entry">
              <li class="result">
                <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
                <p class="meta"><xsl:value-of select="atom:author/atom:name"/>
                  <xsl:if test="atom:published"> · <xsl:value-of select="substring(atom:published, 1, 10)"/></xsl:if></p>
                <p class="snippet"><xsl:value-of select="atom:summary"/></p>
              </li>
            </xsl:for-each>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
