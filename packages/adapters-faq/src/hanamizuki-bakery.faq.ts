import type { Faq } from "./faq.ts";

/**
 * The order entry's time, question to last token: its long answer (about 440 tokens in either language) written
 * at a large model's steady pace, about 22 tokens a second after the first token at 0.8 s (docs/latency-model.md).
 * Longer than Connect's 8-second limit, so a call exercises the hold-and-poll path; its first sentence is
 * written about 1.4 s after the question, so progressive answers are heard long before the model is done.
 */
export const SLOW_ANSWER_MS = 20_000;

/**
 * A fictional bakery, the default model's whole knowledge. The order entry is slow on purpose (`SLOW_ANSWER_MS`).
 * Entries with generic keywords ("where", どこ) come last: ties go to the earlier entry.
 */
export const HANAMIZUKI_BAKERY_FAQ: Faq = {
  name: "hanamizuki-bakery",
  defaultLocale: "en-US",
  locales: {
    "ja-JP": {
      entries: [
        {
          id: "hours",
          keywords: [
            "営業時間",
            "何時",
            "なんじ",
            "開店",
            "閉店",
            "開いて",
            "あいて",
            "閉まり",
            "しまり",
            "オープン",
          ],
          answer:
            "営業時間は、平日が午前七時から午後七時まで、土曜日と日曜日が午前八時から午後六時までです。",
        },
        {
          id: "closed-days",
          keywords: ["定休日", "休み", "やすみ", "休業", "火曜", "祝日", "休日", "年末年始"],
          answer: "定休日は毎週火曜日です。祝日は通常どおり営業しております。",
        },
        {
          id: "parking",
          keywords: ["駐車", "車", "パーキング", "駐輪", "自転車"],
          answer:
            "お店の裏に三台分の駐車場がございます。満車の際は、近くのコインパーキングをご利用ください。",
        },
        {
          id: "orders",
          keywords: ["予約", "注文", "取り置き", "とりおき", "ケーキ", "誕生日", "受け取り"],
          answer:
            "はい、ご予約を承っております。" +
            "ホールケーキとパンのご予約は、お受け取りの二日前の午後六時まで承っております。" +
            "ご予約の際は、お名前、お電話番号、お受け取りの日時、商品と個数をお知らせください。" +
            "ホールケーキの大きさは、四号、五号、六号の三つからお選びいただけます。" +
            "四号は二人から四人分、五号は四人から六人分、六号は六人から八人分が目安です。" +
            "種類は、いちごのショートケーキ、チョコレートケーキ、季節のフルーツタルトの三つをご用意しております。" +
            "お誕生日や記念日には、チョコレートのプレートに、お名前や短いメッセージをお入れできます。" +
            "プレートの文字は、二十文字ほどまででお願いいたします。" +
            "ろうそくは無料でお付けしておりますので、必要な本数もあわせてお知らせください。" +
            "アレルギーのある方は、ご予約の際に必ずお知らせください。" +
            "ただし、すべての商品に小麦、乳、卵を使っておりますので、これらを取り除くことはできません。" +
            "お受け取りは、営業時間内であれば何時でも大丈夫です。" +
            "ご予約の変更やキャンセルは、お受け取りの前の日までに、お電話でご連絡ください。" +
            "ご来店を心よりお待ちしております。",
          latencyMs: SLOW_ANSWER_MS,
        },
        {
          id: "payment",
          keywords: ["支払", "払い", "カード", "現金", "キャッシュレス", "決済", "電子マネー", "ペイ"],
          answer: "お支払いは、現金、クレジットカード、交通系ICカード、QRコード決済がご利用いただけます。",
        },
        {
          id: "allergies",
          keywords: ["アレルギー", "小麦", "卵", "乳製品", "ナッツ", "グルテン"],
          answer:
            "すべての商品に小麦、乳、卵を使っております。アレルギーについて詳しくは、店頭のスタッフにお尋ねください。",
        },
        {
          id: "access",
          keywords: ["住所", "場所", "どこ", "行き方", "アクセス", "駅", "最寄り", "道順", "電車", "バス"],
          answer: "住所は星野市楓町三丁目五番地です。楓町駅の北口から歩いて三分ほどです。",
        },
      ],
      fallback:
        "申し訳ございません、そのご質問にはお答えできません。営業時間、定休日、場所、駐車場、ご予約、お支払い、アレルギーについてお尋ねください。",
    },
    "en-US": {
      entries: [
        {
          id: "hours",
          keywords: ["hours", "open", "close", "closing", "what time"],
          answer:
            "We are open from seven in the morning to seven in the evening on weekdays, and from eight to six on weekends.",
        },
        {
          id: "closed-days",
          keywords: ["closed", "day off", "days off", "tuesday", "holiday", "vacation"],
          answer: "We are closed every Tuesday. On public holidays we are open as usual.",
        },
        {
          id: "parking",
          keywords: ["parking", "park", "car", "bicycle", "bike"],
          answer:
            "There are three parking spaces behind the shop. If they are full, please use a nearby pay car park.",
        },
        {
          id: "orders",
          keywords: ["reserve", "reservation", "order", "cake", "birthday", "pick up", "pickup", "set aside"],
          answer:
            "Yes, we take orders for whole cakes and bread. " +
            "Please order by six in the evening, two days before the day you pick it up. " +
            "When you order, tell us your name and phone number, the pickup date and time, and what you would like and how many. " +
            "Whole cakes come in three sizes: twelve, fifteen and eighteen centimetres across. " +
            "The smallest serves two to four people, the middle one four to six, and the largest six to eight. " +
            "We make three kinds of whole cake: strawberry shortcake, chocolate cake, and a fruit tart with the fruit of the season. " +
            "Each kind comes in all three sizes. " +
            "The fruit tart changes with the season: strawberries in spring, peaches in summer, and chestnuts and apples in autumn. " +
            "For birthdays and anniversaries, we can add a chocolate plate with a name or a short message of up to about twenty letters. " +
            "If you would like the message in English or in Japanese, just tell us which. " +
            "Candles are free of charge, so just let us know how many you need. " +
            "If anyone in your party has a food allergy, please tell us when you order. " +
            "Please note, though, that all our products contain wheat, milk and eggs, and we cannot leave them out. " +
            "Orders for ten or more cakes need a week's notice. " +
            "We can also set aside bread for you, from a single loaf of white bread or one baguette. " +
            "You can pick up your order at any time during our opening hours. " +
            "To change or cancel an order, please call us by the day before pickup. " +
            "You pay when you pick up your order, in the shop. " +
            "We pack every cake with ice packs, and if you have a long way home, tell us and we will add more. " +
            "Cakes keep best in the fridge, and we recommend eating them on the day you pick them up. " +
            "Thank you for ordering with us, and we look forward to seeing you soon.",
          latencyMs: SLOW_ANSWER_MS,
        },
        {
          id: "payment",
          keywords: ["pay", "payment", "card", "cash", "credit", "contactless", "qr"],
          answer: "You can pay with cash, credit cards, transit IC cards or QR code payments.",
        },
        {
          id: "allergies",
          keywords: ["allergy", "allergies", "allergen", "gluten", "nut", "dairy", "egg", "wheat"],
          answer:
            "All our products contain wheat, milk and eggs. For details about allergies, please ask our staff in the shop.",
        },
        {
          id: "access",
          keywords: [
            "address",
            "where",
            "located",
            "location",
            "station",
            "directions",
            "get there",
            "find you",
          ],
          answer:
            "We are at 3-5 Kaede-cho, Hoshino City, a three-minute walk from the north exit of Kaede-cho Station.",
        },
      ],
      fallback:
        "I'm sorry, I can't answer that. You can ask me about our opening hours, closed days, location, parking, orders, payment or allergies.",
    },
  },
};
