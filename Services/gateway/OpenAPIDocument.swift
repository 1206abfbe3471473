/// The gateway's OpenAPI 3.1 document: the source of truth for its REST API. `GatewayAPI`'s
/// operation table registers the routes; a test checks the two list the same operations and
/// that every documented call answers with a documented status.
enum OpenAPIDocument {
    static let json = #"""
{
 "components": {
  "schemas": {
   "Accepted": {
    "properties": {
     "entry_id": {
      "type": "string"
     },
     "request_id": {
      "type": "string"
     },
     "stream": {
      "type": "string"
     }
    },
    "type": "object"
   },
   "BackfillAction": {
    "properties": {
     "from": {
      "format": "date",
      "type": "string"
     },
     "until": {
      "format": "date",
      "type": "string"
     }
    },
    "required": [
     "from",
     "until"
    ],
    "type": "object"
   },
   "DeadLetter": {
    "properties": {
     "at": {
      "type": "string"
     },
     "consumer": {
      "type": "string"
     },
     "deliveries": {
      "description": "Counted attempts (outages never count).",
      "type": "integer"
     },
     "error": {
      "type": "string"
     },
     "fields": {
      "additionalProperties": {
       "type": "string"
      },
      "description": "Every original field; only on the one-letter call.",
      "type": "object"
     },
     "group": {
      "type": "string"
     },
     "id": {
      "type": "string"
     },
     "message_id": {
      "type": "string"
     },
     "source_id": {
      "type": "string"
     },
     "source_stream": {
      "type": "string"
     },
     "trace": {
      "type": "string"
     },
     "type": {
      "type": "string"
     },
     "version": {
      "type": "string"
     }
    },
    "type": "object"
   },
   "DeadLetterCount": {
    "properties": {
     "dead_letters": {
      "type": "integer"
     },
     "stream": {
      "type": "string"
     }
    },
    "type": "object"
   },
   "DeadLetterPage": {
    "properties": {
     "items": {
      "items": {
       "$ref": "#/components/schemas/DeadLetter"
      },
      "type": "array"
     },
     "next_cursor": {
      "type": "string"
     },
     "stream": {
      "type": "string"
     },
     "total": {
      "type": "integer"
     }
    },
    "type": "object"
   },
   "FetchAction": {
    "properties": {
     "base_url": {
      "description": "An archive date directory (https://\u2026) or a file:// mirror.",
      "type": "string"
     },
     "limit_per_plan": {
      "minimum": 1,
      "type": "integer"
     },
     "plans": {
      "items": {
       "type": "string"
      },
      "minItems": 1,
      "type": "array"
     }
    },
    "required": [
     "base_url",
     "plans"
    ],
    "type": "object"
   },
   "GroupHealth": {
    "properties": {
     "consumers": {
      "type": "integer"
     },
     "entriesRead": {
      "type": [
       "integer",
       "null"
      ]
     },
     "lag": {
      "type": [
       "integer",
       "null"
      ]
     },
     "name": {
      "type": "string"
     },
     "pending": {
      "type": "integer"
     }
    },
    "type": "object"
   },
   "GroupThroughput": {
    "properties": {
     "group": {
      "type": "string"
     },
     "per_second": {
      "items": {
       "type": "number"
      },
      "type": "array"
     },
     "recent_per_second": {
      "type": "number"
     },
     "stream": {
      "type": "string"
     },
     "window_s": {
      "type": "number"
     }
    },
    "type": "object"
   },
   "Problem": {
    "description": "RFC 9457 problem details.",
    "properties": {
     "detail": {
      "type": "string"
     },
     "instance": {
      "type": "string"
     },
     "parameter": {
      "description": "The parameter at fault (400).",
      "type": "string"
     },
     "service": {
      "description": "The owning service that is down (503).",
      "type": "string"
     },
     "status": {
      "type": "integer"
     },
     "title": {
      "type": "string"
     },
     "type": {
      "type": "string"
     }
    },
    "required": [
     "type",
     "title",
     "status",
     "detail"
    ],
    "type": "object"
   },
   "ServiceHealth": {
    "properties": {
     "error": {
      "type": [
       "string",
       "null"
      ]
     },
     "name": {
      "type": "string"
     },
     "reachable": {
      "type": "boolean"
     },
     "ready": {
      "type": "boolean"
     },
     "report": {
      "type": [
       "object",
       "null"
      ]
     },
     "url": {
      "type": "string"
     }
    },
    "type": "object"
   },
   "StreamHealth": {
    "properties": {
     "deadLetters": {
      "type": "integer"
     },
     "error": {
      "type": [
       "string",
       "null"
      ]
     },
     "groups": {
      "items": {
       "$ref": "#/components/schemas/GroupHealth"
      },
      "type": "array"
     },
     "length": {
      "type": "integer"
     },
     "name": {
      "type": "string"
     }
    },
    "type": "object"
   },
   "SystemStatus": {
    "properties": {
     "ageSeconds": {
      "type": "number"
     },
     "generatedAt": {
      "format": "date-time",
      "type": "string"
     },
     "services": {
      "items": {
       "$ref": "#/components/schemas/ServiceHealth"
      },
      "type": "array"
     },
     "streams": {
      "items": {
       "$ref": "#/components/schemas/StreamHealth"
      },
      "type": "array"
     },
     "throughput": {
      "items": {
       "$ref": "#/components/schemas/GroupThroughput"
      },
      "type": "array"
     }
    },
    "type": "object"
   },
   "TrainAction": {
    "properties": {
     "kinds": {
      "description": "Default: every kind.",
      "items": {
       "enum": [
        "spectra-class",
        "spectra-mk",
        "arxiv-archive",
        "arxiv-category"
       ],
       "type": "string"
      },
      "type": "array"
     },
     "limit": {
      "minimum": 1,
      "type": "integer"
     },
     "selection": {
      "default": "all",
      "enum": [
       "all",
       "unused"
      ],
      "type": "string"
     }
    },
    "type": "object"
   }
  },
  "securitySchemes": {
   "bearer": {
    "scheme": "bearer",
    "type": "http"
   }
  }
 },
 "info": {
  "description": "One door to Starstream's results. Errors are `application/problem+json` (RFC 9457). State-changing calls need `Authorization: Bearer <GATEWAY_TOKEN>`; reads need `GATEWAY_READ_TOKEN` when it is set.",
  "title": "Starstream gateway",
  "version": "1"
 },
 "openapi": "3.1.0",
 "paths": {
  "/api/actions/arxiv-backfill": {
   "post": {
    "operationId": "startBackfill",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/BackfillAction"
       }
      }
     },
     "required": true
    },
    "responses": {
     "202": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Accepted"
        }
       }
      },
      "description": "Published"
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "A bad field; `parameter` names it."
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No or wrong bearer token."
     },
     "403": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The gateway has no GATEWAY_TOKEN: mutations are disabled."
     }
    },
    "security": [
     {
      "bearer": []
     }
    ],
    "summary": "Harvest arXiv papers submitted between two days (publishes an `arxiv.poll-requests` message)",
    "tags": [
     "actions"
    ]
   }
  },
  "/api/actions/fetch": {
   "post": {
    "operationId": "enqueuePlans",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/FetchAction"
       }
      }
     },
     "required": true
    },
    "responses": {
     "202": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Accepted"
        }
       }
      },
      "description": "Published"
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "A bad field; `parameter` names it."
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No or wrong bearer token."
     },
     "403": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The gateway has no GATEWAY_TOKEN: mutations are disabled."
     }
    },
    "security": [
     {
      "bearer": []
     }
    ],
    "summary": "Fetch LAMOST plans (publishes a `spectra.fetch-requests` message, as `fetcher enqueue` does)",
    "tags": [
     "actions"
    ]
   }
  },
  "/api/actions/train": {
   "post": {
    "operationId": "trainNow",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/TrainAction"
       }
      }
     },
     "required": true
    },
    "responses": {
     "202": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Accepted"
        }
       }
      },
      "description": "Published"
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "A bad field; `parameter` names it."
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No or wrong bearer token."
     },
     "403": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The gateway has no GATEWAY_TOKEN: mutations are disabled."
     }
    },
    "security": [
     {
      "bearer": []
     }
    ],
    "summary": "Train models now (publishes a `models.train-requests` message, as `trainer train` does)",
    "tags": [
     "actions"
    ]
   }
  },
  "/api/dead-letters": {
   "get": {
    "operationId": "countDeadLetters",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "items": {
          "$ref": "#/components/schemas/DeadLetterCount"
         },
         "type": "array"
        }
       }
      },
      "description": "One count per stream"
     }
    },
    "summary": "How many dead letters each stream has",
    "tags": [
     "dead letters"
    ]
   }
  },
  "/api/dead-letters/{stream}": {
   "delete": {
    "operationId": "purgeDeadLetters",
    "parameters": [
     {
      "description": "A source stream (`spectra.downloaded`); its dead letters are in `<stream>.dlq`.",
      "in": "path",
      "name": "stream",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "properties": {
          "purged": {
           "type": "string"
          },
          "stream": {
           "type": "string"
          }
         },
         "type": "object"
        }
       }
      },
      "description": "How many were deleted"
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No or wrong bearer token."
     },
     "403": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The gateway has no GATEWAY_TOKEN: mutations are disabled."
     },
     "404": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No such stream."
     }
    },
    "security": [
     {
      "bearer": []
     }
    ],
    "summary": "Delete every dead letter of a stream",
    "tags": [
     "dead letters"
    ]
   },
   "get": {
    "operationId": "listDeadLetters",
    "parameters": [
     {
      "description": "A source stream (`spectra.downloaded`); its dead letters are in `<stream>.dlq`.",
      "in": "path",
      "name": "stream",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Page size, 1 to 500 (default 50).",
      "in": "query",
      "name": "limit",
      "schema": {
       "default": 50,
       "maximum": 500,
       "minimum": 1,
       "type": "integer"
      }
     },
     {
      "description": "`next_cursor` of the previous page.",
      "in": "query",
      "name": "cursor",
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/DeadLetterPage"
        }
       }
      },
      "description": "The page"
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "A bad `limit` or `cursor`; `parameter` names it."
     },
     "404": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No such stream."
     }
    },
    "summary": "A page of one stream's dead letters, oldest first",
    "tags": [
     "dead letters"
    ]
   }
  },
  "/api/dead-letters/{stream}/replay": {
   "post": {
    "operationId": "replayAllDeadLetters",
    "parameters": [
     {
      "description": "A source stream (`spectra.downloaded`); its dead letters are in `<stream>.dlq`.",
      "in": "path",
      "name": "stream",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "202": {
      "content": {
       "application/json": {
        "schema": {
         "properties": {
          "replayed": {
           "type": "string"
          },
          "stream": {
           "type": "string"
          }
         },
         "type": "object"
        }
       }
      },
      "description": "How many were replayed"
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No or wrong bearer token."
     },
     "403": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The gateway has no GATEWAY_TOKEN: mutations are disabled."
     },
     "404": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No such stream."
     }
    },
    "security": [
     {
      "bearer": []
     }
    ],
    "summary": "Replay every dead letter of a stream, oldest first",
    "tags": [
     "dead letters"
    ]
   }
  },
  "/api/dead-letters/{stream}/{id}": {
   "delete": {
    "operationId": "deleteDeadLetter",
    "parameters": [
     {
      "description": "A source stream (`spectra.downloaded`); its dead letters are in `<stream>.dlq`.",
      "in": "path",
      "name": "stream",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "A dead letter's entry id in `<stream>.dlq`.",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "pattern": "^[0-9]+-[0-9]+$",
       "type": "string"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Deleted"
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "A malformed id."
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No or wrong bearer token."
     },
     "403": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The gateway has no GATEWAY_TOKEN: mutations are disabled."
     },
     "404": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No such stream or letter."
     }
    },
    "security": [
     {
      "bearer": []
     }
    ],
    "summary": "Delete one dead letter",
    "tags": [
     "dead letters"
    ]
   },
   "get": {
    "operationId": "getDeadLetter",
    "parameters": [
     {
      "description": "A source stream (`spectra.downloaded`); its dead letters are in `<stream>.dlq`.",
      "in": "path",
      "name": "stream",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "A dead letter's entry id in `<stream>.dlq`.",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "pattern": "^[0-9]+-[0-9]+$",
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/DeadLetter"
        }
       }
      },
      "description": "The letter"
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "A malformed id."
     },
     "404": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No such stream or letter."
     }
    },
    "summary": "One dead letter with every original field",
    "tags": [
     "dead letters"
    ]
   }
  },
  "/api/dead-letters/{stream}/{id}/replay": {
   "post": {
    "operationId": "replayDeadLetter",
    "parameters": [
     {
      "description": "A source stream (`spectra.downloaded`); its dead letters are in `<stream>.dlq`.",
      "in": "path",
      "name": "stream",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "A dead letter's entry id in `<stream>.dlq`.",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "pattern": "^[0-9]+-[0-9]+$",
       "type": "string"
      }
     }
    ],
    "responses": {
     "202": {
      "content": {
       "application/json": {
        "schema": {
         "properties": {
          "entry_id": {
           "type": "string"
          },
          "stream": {
           "type": "string"
          }
         },
         "type": "object"
        }
       }
      },
      "description": "The new entry"
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "A malformed id."
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No or wrong bearer token."
     },
     "403": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The gateway has no GATEWAY_TOKEN: mutations are disabled."
     },
     "404": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No such stream or letter."
     }
    },
    "security": [
     {
      "bearer": []
     }
    ],
    "summary": "Publish one dead letter back on its stream and remove it from the dead letters (atomically)",
    "tags": [
     "dead letters"
    ]
   }
  },
  "/api/status": {
   "get": {
    "description": "Answers from the gateway's status board (refreshed every `GATEWAY_STATUS_REFRESH_MS`), so polling costs the services nothing. `ageSeconds` says how old the snapshot is; `throughput` is each consumer group's read rate from the gateway's own samples.",
    "operationId": "getStatus",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SystemStatus"
        }
       }
      },
      "description": "The snapshot"
     }
    },
    "summary": "Every service's health and every stream, from a snapshot refreshed in the background",
    "tags": [
     "status"
    ]
   }
  },
  "/api/streams": {
   "get": {
    "operationId": "getStreams",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "items": {
          "$ref": "#/components/schemas/StreamHealth"
         },
         "type": "array"
        }
       }
      },
      "description": "The streams"
     }
    },
    "summary": "Every stream's length, groups (consumers, pending, lag) and dead letters",
    "tags": [
     "status"
    ]
   }
  },
  "/openapi.json": {
   "get": {
    "operationId": "getOpenAPI",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      },
      "description": "OpenAPI 3.1"
     }
    },
    "summary": "This document",
    "tags": [
     "meta"
    ]
   }
  }
 },
 "servers": [
  {
   "url": "/"
  }
 ]
}
"""#
}
