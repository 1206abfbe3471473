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
   "DriftAlert": {
    "properties": {
     "created_at": {
      "format": "date-time",
      "type": "string"
     },
     "drifted_columns": {
      "items": {
       "type": "string"
      },
      "type": "array"
     },
     "model": {
      "type": "string"
     },
     "pipeline": {
      "enum": [
       "spectra",
       "arxiv"
      ],
      "type": "string"
     },
     "reasons": {
      "description": "Dataset drift (share of drifted columns over the threshold) and/or live accuracy more than 0.1 below the held-out one.",
      "items": {
       "type": "string"
      },
      "type": "array"
     },
     "report_id": {
      "type": "integer"
     }
    },
    "required": [
     "report_id",
     "pipeline",
     "model",
     "reasons",
     "drifted_columns",
     "created_at"
    ],
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
   "Paper": {
    "properties": {
     "article": {
      "description": "arxiv-poller's latest version: title, abstract, authors, categories, dates, links.",
      "type": "object"
     },
     "id": {
      "type": "string"
     },
     "predictions": {
      "description": "The classifier's top-3 archives and categories with probabilities.",
      "type": [
       "object",
       "null"
      ]
     },
     "summary": {
      "description": "The summarizer's summary and translations.",
      "type": [
       "object",
       "null"
      ]
     }
    },
    "type": "object"
   },
   "PaperPage": {
    "properties": {
     "items": {
      "items": {
       "properties": {
        "first_published": {
         "format": "date-time",
         "type": "string"
        },
        "id": {
         "type": "string"
        },
        "latest_version": {
         "type": "integer"
        },
        "primary_category": {
         "type": "string"
        },
        "title": {
         "type": "string"
        }
       },
       "type": "object"
      },
      "type": "array"
     },
     "next_cursor": {
      "type": [
       "string",
       "null"
      ]
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
   "ReclassificationJob": {
    "description": "A pipeline's re-classification after a new model (the classifier's background job).",
    "properties": {
     "counts": {
      "properties": {
       "examined": {
        "type": "integer"
       },
       "reclassified": {
        "type": "integer"
       },
       "without_vector": {
        "type": "integer"
       }
      },
      "type": "object"
     },
     "error": {
      "type": [
       "string",
       "null"
      ]
     },
     "finished_at": {
      "type": [
       "string",
       "null"
      ]
     },
     "models": {
      "items": {
       "type": "string"
      },
      "type": "array"
     },
     "passes": {
      "type": "integer"
     },
     "pipeline": {
      "enum": [
       "spectra",
       "arxiv"
      ],
      "type": "string"
     },
     "started_at": {
      "type": "string"
     },
     "state": {
      "enum": [
       "running",
       "finished",
       "retrying",
       "elsewhere"
      ],
      "type": "string"
     },
     "total": {
      "type": [
       "integer",
       "null"
      ]
     }
    },
    "required": [
     "pipeline",
     "state",
     "models",
     "counts"
    ],
    "type": "object"
   },
   "ReplacedPrediction": {
    "description": "An answer a newer model replaced, kept by the version that gave it.",
    "properties": {
     "article_id": {
      "type": "string"
     },
     "model": {
      "description": "The model that gave it (`spectra-mk@3`).",
      "type": "string"
     },
     "obsid": {
      "type": "integer"
     },
     "prediction": {
      "description": "The answer as it was stored (label, probabilities or top 3, explanation).",
      "type": "object"
     },
     "replaced_by": {
      "description": "The model whose answer replaced it.",
      "type": "string"
     },
     "version": {
      "type": "integer"
     }
    },
    "required": [
     "model",
     "prediction",
     "replaced_by"
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
   "Spectrum": {
    "properties": {
     "catalog": {
      "description": "The cataloger's row (header fields).",
      "type": "object"
     },
     "features": {
      "description": "The feature extractor's vector (equivalent widths, depths, colours).",
      "type": [
       "object",
       "null"
      ]
     },
     "obsid": {
      "type": "integer"
     },
     "prediction": {
      "type": [
       "object",
       "null"
      ]
     },
     "spectrum": {
      "description": "The preprocessor's normalised flux and continuum on the common grid (packed float32 arrays).",
      "type": [
       "object",
       "null"
      ]
     }
    },
    "type": "object"
   },
   "SpectrumPage": {
    "properties": {
     "items": {
      "items": {
       "description": "The classifier's record: obsid, file, survey_class, survey_subclass, class and mk_letter predictions (label, probabilities, model), class_correct.",
       "type": "object"
      },
      "type": "array"
     },
     "next_cursor": {
      "type": [
       "integer",
       "null"
      ]
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
      "minItems": 1,
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
  "description": "One door to Starstream's results. Errors are `application/problem+json` (RFC 9457). State-changing calls need `Authorization: Bearer <GATEWAY_TOKEN>`; reads need `GATEWAY_READ_TOKEN` when it is set. An owning service that answers with an error gives a 502 saying what it said.",
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
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
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
       "pattern": "^[0-9]{1,20}-[0-9]{1,20}$",
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
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
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
     {},
     {
      "bearer": []
     }
    ],
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
       "pattern": "^[0-9]{1,20}-[0-9]{1,20}$",
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
       "pattern": "^[0-9]{1,20}-[0-9]{1,20}$",
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
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
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
     {},
     {
      "bearer": []
     }
    ],
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
       "pattern": "^[0-9]{1,20}-[0-9]{1,20}$",
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
  "/api/drift/alerts": {
   "get": {
    "operationId": "listDriftAlerts",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "items": {
          "$ref": "#/components/schemas/DriftAlert"
         },
         "type": "array"
        }
       }
      },
      "description": "Up to 50 alerts, newest first"
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
    "summary": "The drift reports that raised an alert, newest first, with the reasons (from drift-monitor)",
    "tags": [
     "drift"
    ]
   }
  },
  "/api/drift/reports": {
   "get": {
    "operationId": "listDriftReports",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "items": {
          "type": "object"
         },
         "type": "array"
        }
       }
      },
      "description": "Up to 50 reports, newest first",
      "links": {
       "newestReportPage": {
        "description": "The newest report as a page.",
        "operationId": "getDriftReportPage",
        "parameters": {
         "id": "$response.body#/0/id"
        }
       }
      }
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
    "summary": "The latest drift reports of both pipelines (from drift-monitor)",
    "tags": [
     "drift"
    ]
   }
  },
  "/api/drift/reports/{id}/html": {
   "get": {
    "operationId": "getDriftReportPage",
    "parameters": [
     {
      "description": "Report id.",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "format": "int64",
       "maximum": 9223372036854775807,
       "minimum": 1,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
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
      "description": "id is not an integer."
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "404": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No such report."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
    "summary": "A drift report as an HTML page with a chart per drifted column",
    "tags": [
     "drift"
    ]
   }
  },
  "/api/models": {
   "get": {
    "operationId": "listModels",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "items": {
          "type": "object"
         },
         "type": "array"
        }
       }
      },
      "description": "Every registered version",
      "links": {
       "firstModel": {
        "description": "The first model of the registry.",
        "operationId": "getModel",
        "parameters": {
         "kind": "$response.body#/0/kind",
         "version": "$response.body#/0/model_version"
        }
       },
       "firstTrainingSet": {
        "description": "What the first model trained on.",
        "operationId": "getTrainingSet",
        "parameters": {
         "kind": "$response.body#/0/kind",
         "version": "$response.body#/0/model_version"
        }
       }
      }
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
    "summary": "The model registry (from the trainer)",
    "tags": [
     "models"
    ]
   }
  },
  "/api/models/{kind}/latest": {
   "get": {
    "operationId": "getLatestModel",
    "parameters": [
     {
      "description": "A model kind.",
      "in": "path",
      "name": "kind",
      "required": true,
      "schema": {
       "enum": [
        "spectra-class",
        "spectra-mk",
        "arxiv-archive",
        "arxiv-category"
       ],
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      },
      "description": "The version"
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "404": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No such kind, or none trained yet."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
    "summary": "The newest version of a kind",
    "tags": [
     "models"
    ]
   }
  },
  "/api/models/{kind}/{version}": {
   "get": {
    "operationId": "getModel",
    "parameters": [
     {
      "description": "A model kind.",
      "in": "path",
      "name": "kind",
      "required": true,
      "schema": {
       "enum": [
        "spectra-class",
        "spectra-mk",
        "arxiv-archive",
        "arxiv-category"
       ],
       "type": "string"
      }
     },
     {
      "description": "A version number of that kind.",
      "in": "path",
      "name": "version",
      "required": true,
      "schema": {
       "maximum": 2147483647,
       "minimum": 1,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      },
      "description": "The evaluation"
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "version is not an integer."
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "404": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No such kind or version."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
    "summary": "One version's held-out measures: accuracy, balanced accuracy, macro-F1, per-class precision/recall/F1, confusion matrix, calibration, importances",
    "tags": [
     "models"
    ]
   }
  },
  "/api/models/{kind}/{version}/training-set": {
   "get": {
    "operationId": "getTrainingSet",
    "parameters": [
     {
      "description": "A model kind.",
      "in": "path",
      "name": "kind",
      "required": true,
      "schema": {
       "enum": [
        "spectra-class",
        "spectra-mk",
        "arxiv-archive",
        "arxiv-category"
       ],
       "type": "string"
      }
     },
     {
      "description": "A version number of that kind.",
      "in": "path",
      "name": "version",
      "required": true,
      "schema": {
       "maximum": 2147483647,
       "minimum": 1,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "items": {
          "type": "object"
         },
         "type": "array"
        }
       }
      },
      "description": "The examples and their part (train or validation)"
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "version is not an integer."
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "404": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "No such kind or version."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
    "summary": "The spectra (OBSIDs) or papers a version was trained and validated on",
    "tags": [
     "models"
    ]
   }
  },
  "/api/papers": {
   "get": {
    "operationId": "listPapers",
    "parameters": [
     {
      "description": "A category or a whole archive (`astro-ph`: its categories), cross-lists included.",
      "in": "query",
      "name": "category",
      "schema": {
       "pattern": "^[A-Za-z0-9._-]{1,64}$",
       "type": "string"
      }
     },
     {
      "description": "First submitted on or after this day.",
      "in": "query",
      "name": "from",
      "schema": {
       "format": "date",
       "type": "string"
      }
     },
     {
      "description": "\u2026 on or before this day.",
      "in": "query",
      "name": "until",
      "schema": {
       "format": "date",
       "type": "string"
      }
     },
     {
      "description": "Words in the latest version's title or abstract.",
      "in": "query",
      "name": "q",
      "schema": {
       "maxLength": 200,
       "type": "string"
      }
     },
     {
      "description": "Only papers whose predicted category agrees (true) or disagrees (false) with arXiv primary category; papers not yet classified are left out.",
      "in": "query",
      "name": "correct",
      "schema": {
       "type": "boolean"
      }
     },
     {
      "description": "`next_cursor` of the previous page (a paper id).",
      "in": "query",
      "name": "cursor",
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
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/PaperPage"
        }
       }
      },
      "description": "A page",
      "links": {
       "firstPaper": {
        "description": "The first paper of the page.",
        "operationId": "getPaper",
        "parameters": {
         "id": "$response.body#/items/0/id"
        }
       }
      }
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "A bad or unknown parameter; `parameter` names it."
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
    "summary": "Stored arXiv papers in id order, filtered (from arxiv-poller)",
    "tags": [
     "papers"
    ]
   }
  },
  "/api/papers/{id}": {
   "get": {
    "operationId": "getPaper",
    "parameters": [
     {
      "description": "arXiv id without version (`2202.12139`; old-style ids percent-encoded: `quant-ph%2F0201082`).",
      "in": "path",
      "name": "id",
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
         "$ref": "#/components/schemas/Paper"
        }
       }
      },
      "description": "The parts each owning service holds; null until its stage has run"
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "404": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "arxiv-poller has no such paper."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
    "summary": "One paper: metadata and latest version, summary and translations, top-3 predictions with probabilities",
    "tags": [
     "papers"
    ]
   }
  },
  "/api/papers/{id}/history": {
   "get": {
    "operationId": "getPaperHistory",
    "parameters": [
     {
      "description": "arXiv id without version (`2202.12139`; old-style ids percent-encoded: `quant-ph%2F0201082`).",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Only the answers of this model version (`spectra-mk@3`).",
      "in": "query",
      "name": "model",
      "required": false,
      "schema": {
       "maxLength": 64,
       "pattern": "^[A-Za-z0-9._-]+@[0-9]+$",
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "items": {
          "$ref": "#/components/schemas/ReplacedPrediction"
         },
         "type": "array"
        }
       }
      },
      "description": "The replaced answers, by model (empty when none was replaced)"
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "`model` is not a model version."
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "summary": "Earlier models' answers for one paper, every version of it (from the classifier)",
    "tags": [
     "papers"
    ]
   }
  },
  "/api/reclassification": {
   "get": {
    "operationId": "listReclassifications",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "items": {
          "$ref": "#/components/schemas/ReclassificationJob"
         },
         "type": "array"
        }
       }
      },
      "description": "One entry per pipeline whose job ran since the classifier started"
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "summary": "Re-classification of stored spectra and papers after a new model: progress per pipeline (from the classifier)",
    "tags": [
     "models"
    ]
   }
  },
  "/api/spectra": {
   "get": {
    "operationId": "listSpectra",
    "parameters": [
     {
      "description": "Predicted CLASS (STAR, GALAXY, QSO).",
      "in": "query",
      "name": "class",
      "schema": {
       "pattern": "^[A-Za-z0-9._-]{1,64}$",
       "type": "string"
      }
     },
     {
      "description": "Predicted MK letter (O\u2026M).",
      "in": "query",
      "name": "mk",
      "schema": {
       "pattern": "^[A-Za-z0-9._-]{1,64}$",
       "type": "string"
      }
     },
     {
      "description": "The survey's own CLASS.",
      "in": "query",
      "name": "survey_class",
      "schema": {
       "pattern": "^[A-Za-z0-9._-]{1,64}$",
       "type": "string"
      }
     },
     {
      "description": "The survey plan (PLANID) the spectrum was observed in.",
      "in": "query",
      "name": "plan",
      "schema": {
       "pattern": "^[A-Za-z0-9._-]{1,64}$",
       "type": "string"
      }
     },
     {
      "description": "Whether the predicted CLASS agrees with the survey's.",
      "in": "query",
      "name": "correct",
      "schema": {
       "type": "boolean"
      }
     },
     {
      "description": "Only predictions at least this probable.",
      "in": "query",
      "name": "min_confidence",
      "schema": {
       "maximum": 1,
       "minimum": 0,
       "type": "number"
      }
     },
     {
      "description": "`next_cursor` of the previous page (an OBSID).",
      "in": "query",
      "name": "cursor",
      "schema": {
       "format": "int64",
       "maximum": 9223372036854775807,
       "minimum": 0,
       "type": "integer"
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
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SpectrumPage"
        }
       }
      },
      "description": "A page; a filtered page may hold fewer than `limit` items, its `next_cursor` still leads on",
      "links": {
       "firstSpectrum": {
        "description": "The first spectrum of the page.",
        "operationId": "getSpectrum",
        "parameters": {
         "obsid": "$response.body#/items/0/obsid"
        }
       }
      }
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "A bad or unknown parameter; `parameter` names it."
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
    "summary": "Classified spectra in OBSID order, filtered (from the classifier)",
    "tags": [
     "spectra"
    ]
   }
  },
  "/api/spectra/{obsid}": {
   "get": {
    "operationId": "getSpectrum",
    "parameters": [
     {
      "description": "LAMOST OBSID.",
      "in": "path",
      "name": "obsid",
      "required": true,
      "schema": {
       "format": "int64",
       "maximum": 9223372036854775807,
       "minimum": 0,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Spectrum"
        }
       }
      },
      "description": "The parts each owning service holds; null until its stage has run"
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "OBSID is not an integer."
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "404": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The cataloger has no such spectrum."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
    "summary": "One spectrum: catalog row, features, prediction with probabilities and model version, flux and continuum arrays",
    "tags": [
     "spectra"
    ]
   }
  },
  "/api/spectra/{obsid}/history": {
   "get": {
    "operationId": "getSpectrumHistory",
    "parameters": [
     {
      "description": "LAMOST OBSID.",
      "in": "path",
      "name": "obsid",
      "required": true,
      "schema": {
       "format": "int64",
       "maximum": 9223372036854775807,
       "minimum": 0,
       "type": "integer"
      }
     },
     {
      "description": "Only the answers of this model version (`spectra-mk@3`).",
      "in": "query",
      "name": "model",
      "required": false,
      "schema": {
       "maxLength": 64,
       "pattern": "^[A-Za-z0-9._-]+@[0-9]+$",
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "items": {
          "$ref": "#/components/schemas/ReplacedPrediction"
         },
         "type": "array"
        }
       }
      },
      "description": "The replaced answers, by model (empty when none was replaced)"
     },
     "400": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "OBSID is not a whole number (0 or more), or `model` is not a model version."
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     },
     "502": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "The owning service answered with an error; `detail` says what it said."
     },
     "503": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "An owning service does not answer; `service` names it."
     }
    },
    "summary": "Earlier models' answers for one spectrum (from the classifier)",
    "tags": [
     "spectra"
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
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
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
     },
     "401": {
      "content": {
       "application/problem+json": {
        "schema": {
         "$ref": "#/components/schemas/Problem"
        }
       }
      },
      "description": "GATEWAY_READ_TOKEN is set and no or a wrong bearer token was sent."
     }
    },
    "security": [
     {},
     {
      "bearer": []
     }
    ],
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
