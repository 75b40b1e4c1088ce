import { Injectable } from '@nestjs/common';
import { CourseCopied, CourseCopyListener } from '../../learning/course-copy-listener';
import { PlatformNoticesService } from './platform-notices.service';

/** A course copy queues an LtiContextCopyNotice for each tool of the copy that asked for them (LTI PNS 1.0). */
@Injectable()
export class ContextCopyNotices extends CourseCopyListener {
  constructor(private readonly notices: PlatformNoticesService) {
    super();
  }

  async courseCopied(event: CourseCopied): Promise<void> {
    await this.notices.contextCopied(event.source, event.copy);
  }
}
